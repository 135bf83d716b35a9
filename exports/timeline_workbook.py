"""A project's timeline as an Excel workbook (docs/timeline.md): events, links, effects, RT profile.

The first sheet is the import format itself (events and effects, `leads_to` included), so
the file can be edited and imported again; its name and header are format codes and stay
untranslated. The other sheets follow the chosen language. Every text cell goes through
``spreadsheet.put``, so a title such as "=HYPERLINK(…)" stays text.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.spreadsheet import LABEL_FONT, header, put, table_sheet, widths
from partenariat.timeline.importing import COLUMNS, SEPARATOR
from partenariat.timeline.model import EFFECT_CODE, Timeline
from partenariat.timeline.profile import profile
from partenariat.timeline.questions import QuestionGrid
from questionnaires import Instrument

IMPORT_SHEET = "events"


def build(timeline: Timeline, instrument: Instrument, lang: str, grid: QuestionGrid | None = None) -> bytes:
    with force_locale(lang):
        return _build(timeline, instrument, lang, grid)


def import_rows(timeline: Timeline) -> list[list[str]]:
    """The rows of the import format, events then effects, in the order of the timeline."""
    leads_to = timeline.targets
    rows = [[e.ref, e.date.iso(), e.title, e.description, e.actors, e.evidence, e.rt, e.kind.value, e.status.value,
             SEPARATOR.join(leads_to.get(e.ref, ()))] for e in timeline.events]
    rows += [[e.ref, e.date.iso(), e.title, e.description, "", e.evidence, EFFECT_CODE, "", "", ""]
             for e in timeline.effects]
    return rows


def _build(timeline: Timeline, instrument: Instrument, lang: str, grid: QuestionGrid | None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = IMPORT_SHEET
    header(sheet, 1, list(COLUMNS))
    sheet.freeze_panes = "B2"
    for row, values in enumerate(import_rows(timeline), start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
    widths(sheet, [10, 12, 40, 50, 30, 30, 8, 10, 10, 20])

    titles = {ref: node.title for ref, node in timeline.nodes.items()}
    table_sheet(workbook, _("Links"), [_("From"), _("Title"), _("To"), _("Title"), _("Rationale")],
                ([link.source, titles[link.source], link.target, titles[link.target], link.rationale] for link in timeline.links),
                column_widths=[10, 40, 10, 40, 50], wrap={2, 4, 5})
    table_sheet(workbook, _("Effects"), [_("Ref"), _("Date observed"), _("Title"), _("Description"), _("Evidence")],
                ([e.ref, e.date.iso(), e.title, e.description, e.evidence] for e in timeline.effects),
                column_widths=[10, 14, 40, 60, 40], wrap={3, 4, 5})

    result = profile(instrument, [timeline])
    sheet = table_sheet(
        workbook, _("RT profile"), [_("RT"), _("Domain"), _("Transitional result"), _("Results"), _("Setbacks")],
        ([code, rt.domain, rt.name.get(lang), result.total.rts[code].results, result.total.rts[code].setbacks]
         for code, rt in instrument.rts.items()),
        column_widths=[8, 8, 50, 10, 10], wrap={3})
    row = len(instrument.rts) + 3
    header(sheet, row, [_("Domain"), "", _("Name"), _("Results"), _("Setbacks")])
    for code, domain in instrument.domains.items():
        row += 1
        counts = result.total.domains[code]
        for column, value in ((1, code), (3, domain.name.get(lang)), (4, counts.results), (5, counts.setbacks)):
            put(sheet, row, column, value)
    row += 2
    put(sheet, row, 1, _("Only realised events are counted (%(n)s planned left out).", n=result.n_planned))
    if grid is not None:
        row += 2
        put(sheet, row, 1, _("Proposed reading")).font = LABEL_FONT
        put(sheet, row + 1, 1, grid.readings[result.reading.key].get(lang))
        put(sheet, row + 2, 1, grid.reading_note.get(lang))
        reading = result.reading
        put(sheet, row + 3, 1, _("Results on RT10–RT11: %(do)s; on RT04–RT08: %(make)s; on RT12: %(hinge)s.",
                                 do=reading.do_it, make=reading.make_it_happen, hinge=reading.hinge))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
