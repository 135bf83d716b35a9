"""The paper-questionnaire entry template: the import format (README.md, "Response import") as an XLSX file,
with drop-down lists so that typing errors are caught while entering."""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.spreadsheet import header, put, widths
from questionnaires import ANSWER_CODES, MISSING_CODE, Instrument

ROWS = 200


def build(instrument: Instrument, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with force_locale(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "responses"  # the importer reads the first sheet; the name is not translated
        columns = instrument.response_file_header
        header(sheet, 1, columns)
        sheet.freeze_panes = "D2"
        widths(sheet, [12, 18, 6, *([6] * len(instrument.items))])
        lists = {
            "sector": ",".join(instrument.sectors),
            "lang": "fr,en",
            "answer": ",".join([*ANSWER_CODES, MISSING_CODE]),
        }
        for name, values in lists.items():
            validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
            validation.error = _("Choose a value from the list.")
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            if name == "answer":
                first, last = get_column_letter(4), get_column_letter(len(columns))
                validation.add(f"{first}2:{last}{ROWS + 1}")
            else:
                column = get_column_letter(columns.index(name) + 1)
                validation.add(f"{column}2:{column}{ROWS + 1}")

        guide = workbook.create_sheet(_("How to fill in"))
        lines = [
            _("One row per paper questionnaire. Leave this sheet and the header row as they are."),
            _("respondent: any short code written on the paper (P01, P02…), used only to spot duplicates."),
            _("sector: %(list)s.", list=", ".join(instrument.sectors)),
            _("lang: fr or en."),
            _("Each item column: A, B, C, NSP (I don't know) or blank."),
            _("Upload the file on the campaign page; if any cell is wrong, nothing is imported and every problem is listed with its row and column."),
        ]
        for row, line in enumerate(lines, start=1):
            put(guide, row, 1, line)
        put(guide, len(lines) + 2, 1, _("Item"))
        put(guide, len(lines) + 2, 2, _("Statement"))
        for offset, (code, item) in enumerate(instrument.items.items(), start=len(lines) + 3):
            put(guide, offset, 1, code)
            put(guide, offset, 2, item.statement.get(lang))
        widths(guide, [10, 110])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
