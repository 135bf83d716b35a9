"""The import template of a timeline (SPEC §8): the header of ``import-events`` as an XLSX
file, with drop-down lists and a help sheet, so that a file filled in a spreadsheet program
imports as it is."""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.spreadsheet import header, put, table_sheet, widths
from partenariat.timeline.importing import COLUMNS
from partenariat.timeline.model import EFFECT_CODE, EventStatus, Kind
from questionnaires import Instrument

ROWS = 300
TEXT = "@"


def build(instrument: Instrument, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with force_locale(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "events"  # the importer reads the first sheet; name and header are not translated
        header(sheet, 1, list(COLUMNS))
        sheet.freeze_panes = "A2"
        widths(sheet, [8, 12, 40, 40, 24, 24, 8, 10, 9, 16])
        # The date column holds text: a spreadsheet program would turn "2019-05" into a day.
        date_column = COLUMNS.index("date") + 1
        for row in range(2, ROWS + 2):
            sheet.cell(row=row, column=date_column).number_format = TEXT
        lists = {"rt": [*instrument.rts, EFFECT_CODE], "kind": [k.value for k in Kind],
                 "status": [s.value for s in EventStatus]}
        for name, values in lists.items():
            validation = DataValidation(type="list", formula1=f'"{",".join(values)}"', allow_blank=True)
            validation.error = _("Choose a value from the list.")
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            letter = get_column_letter(COLUMNS.index(name) + 1)
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
        help_rows = list(_help(instrument).items())
        help_sheet = table_sheet(workbook, _("Help"), [_("Column"), _("What to write")], help_rows, column_widths=[14, 90],
                    wrap={2})
        put(help_sheet, len(help_rows) + 3, 1, _("All or nothing: if one row has a problem, nothing is "
                                                          "imported and every problem is listed by row and column."))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _help(instrument: Instrument) -> dict[str, str]:
    return {
        "ref": _("Required. A short label unique in the file (E01, E02…, FX1 for an effect)."),
        "date": _("Required. A year (2019), a month (2019-05) or a day (2019-05-14)."),
        "title": _("Required. What happened, in one line."),
        "description": _("Optional. More about the event or effect."),
        "actors": _("Optional. The actors involved."),
        "evidence": _("Optional. What shows it happened: a document, a link."),
        "rt": _("Required. %(first)s to %(last)s for an event, %(effect)s for an effect.",
                first=next(iter(instrument.rts)), last=list(instrument.rts)[-1], effect=EFFECT_CODE),
        "kind": _("%(result)s (the default) or %(setback)s, a setback, on RT09 to RT12 only. Empty for an effect.",
                  result=Kind.RESULT.value, setback=Kind.SETBACK.value),
        "status": _("%(done)s (realised, the default) or %(planned)s (planned). Empty for an effect.",
                    done=EventStatus.DONE.value, planned=EventStatus.PLANNED.value),
        "leads_to": _("The refs this event led to, separated by ;. Empty for an effect."),
    }
