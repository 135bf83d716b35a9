"""The funder workbook (issue 5): shared campaigns only, streamed with openpyxl's
write-only mode so that thousands of campaigns never sit in memory together.

Sheets: summary (medians and quartiles per year, native radar of the median portrait),
tidy long data, one row per partnership and year, evolution, data dictionary.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.numbers import one_decimal
from partenariat.services.funding import BELOW_K_FUNDER, FunderRow, Summary, codes
from questionnaires import Instrument

SCORE_FORMAT = "0.0"


def _cells(sheet, values: Iterable, formats: dict[int, str] | None = None, bold: bool = False) -> list:
    """One row for a write-only sheet. Plain values are the fast path; a cell object is made
    only where needed: text that openpyxl would read as a formula (it starts with "="; other
    text is always written as text), a number format, or a bold header."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    row = []
    for index, value in enumerate(values):
        needs_format = formats is not None and index in formats and isinstance(value, (int, float))
        if bold or needs_format or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if needs_format:
                cell.number_format = formats[index]
            if bold:
                cell.font = Font(bold=True)
            row.append(cell)
        else:
            row.append(value)
    return row


def build(rows: Iterable[FunderRow], instrument: Instrument, lang: str, k_funder: int, year: int | None) -> bytes:
    with force_locale(lang):
        return _build(rows, instrument, lang, k_funder, year)


def _label(instrument: Instrument, code: str, lang: str) -> str:
    if code in instrument.dimensions:
        return instrument.dimensions[code].name.get(lang)
    return instrument.domains[code].name.get(lang)


def _build(rows: Iterable[FunderRow], instrument: Instrument, lang: str, k_funder: int, year: int | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import RadarChart, Reference
    from openpyxl.utils import get_column_letter

    columns = codes(instrument)
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    tidy = workbook.create_sheet(_("Data (long)"))
    wide = workbook.create_sheet(_("By partnership"))
    evolution = workbook.create_sheet(_("Evolution"))
    dictionary = workbook.create_sheet(_("Data dictionary"))
    for sheet in (tidy, wide):
        sheet.freeze_panes = "A2"
    # Widths must be set before the first row of a write-only sheet.
    for sheet, widths in ((summary, [10, 46, 14, 14, 14, 14]), (tidy, [14, 36, 18, 7, 8, 46, 8, 8, 16, 6, 34]),
                          (wide, [14, 36, 18, 7, 6, *([8] * len(columns)), 34]), (evolution, [14, 36, 8, 46]),
                          (dictionary, [26, 110])):
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    reason_text = _("fewer than %(k)s responses: scores withheld", k=k_funder)
    tidy.append(_cells(tidy, [_("partnership_id"), _("partnership"), _("region"), _("year"), _("code"),
                              _("label"), _("score"), _("gap"), _("band"), _("n"), _("note")], bold=True))
    wide.append(_cells(wide, [_("partnership_id"), _("partnership"), _("region"), _("year"), _("n"), *columns, _("note")],
                       bold=True))
    band_names = {b.code: b.name.get(lang) for b in instrument.bands}
    labels = {code: _label(instrument, code, lang) for code in columns}
    stats = Summary()
    history: dict[int, dict] = defaultdict(lambda: {"name": "", "years": {}})
    count, versions = 0, set()
    for row in rows:
        count += 1
        versions.add(row.instrument_version)
        stats.add(row)
        note = reason_text if row.reason == BELOW_K_FUNDER else None
        pid = str(row.partnership_id)  # an identifier, not a quantity
        for code in columns:
            value = row.scores.get(code)
            tidy.append(_cells(tidy, [pid, row.partnership, row.region or "", row.year, code,
                                      labels[code], one_decimal(value),
                                      None if value is None else one_decimal(100 - value),
                                      band_names.get(row.bands.get(code)), row.n, note]))
        wide.append(_cells(wide, [pid, row.partnership, row.region or "", row.year, row.n,
                                  *(one_decimal(row.scores.get(code)) for code in columns), note]))
        history[row.partnership_id]["name"] = row.partnership
        history[row.partnership_id]["years"][row.year] = row.scores

    # Summary: one block per year (medians and quartiles), then the radar of medians.
    summary.append(_cells(summary, [_("Partnership self-assessment — funder summary")], bold=True))
    summary.append(_cells(summary, [_("Shared campaigns"), count]))
    summary.append(_cells(summary, [_("Year filter"), year if year else _("all years")]))
    summary.append(_cells(summary, [_("Self-evaluation: these are partners' own readings, not performance measures.")]))
    summary.append([])
    years = stats.years()
    summary.append(_cells(summary, [_("code"), _("label"), *(f"{_('median')} {y}" for y in years)], bold=True))
    first_row = 7
    for code in columns:
        medians = [stats.table(y, code) for y in years]
        summary.append(_cells(summary, [code, _label(instrument, code, lang),
                                        *(one_decimal(m.median) if m else None for m in medians)],
                              formats={i: SCORE_FORMAT for i in range(2, 2 + len(years))}))
    summary.append([])
    summary.append(_cells(summary, [_("year"), _("code"), _("partnerships with scores"), _("median"),
                                    _("first quartile"), _("third quartile")], bold=True))
    for y in years:
        for code in columns:
            s = stats.table(y, code)
            summary.append(_cells(summary, [y, code, s.count if s else 0, one_decimal(s.median) if s else None,
                                            one_decimal(s.q1) if s else None, one_decimal(s.q3) if s else None],
                                  formats={3: SCORE_FORMAT, 4: SCORE_FORMAT, 5: SCORE_FORMAT}))
    dimension_rows = len(instrument.dimensions)
    if years:
        chart = RadarChart()
        chart.type = "marker"
        chart.title = _("Median portrait per year")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.y_axis.delete = False
        chart.add_data(Reference(summary, min_col=3, max_col=2 + len(years), min_row=first_row - 1,
                                 max_row=first_row - 1 + dimension_rows), titles_from_data=True)
        chart.set_categories(Reference(summary, min_col=1, min_row=first_row, max_row=first_row - 1 + dimension_rows))
        chart.height, chart.width = 11, 18
        summary.add_chart(chart, "J2")

    # Evolution: partnerships with two shared years or more.
    evolution.append(_cells(evolution, [_("partnership_id"), _("partnership"), _("code"), _("label"),
                                        *(str(y) for y in years), _("change, first to last year")], bold=True))
    for pid, info in history.items():
        seen = sorted(info["years"])
        if len(seen) < 2:
            continue
        for code in columns:
            by_year = {y: info["years"][y].get(code) for y in seen}
            known = [by_year[y] for y in seen if by_year[y] is not None]
            change = one_decimal(known[-1] - known[0]) if len(known) >= 2 else None
            evolution.append(_cells(evolution, [str(pid), info["name"], code, _label(instrument, code, lang),
                                                *(one_decimal(by_year.get(y)) for y in years), change],
                                    formats={i: SCORE_FORMAT for i in range(4, 5 + len(years))}))

    entries = [
        (_("partnership_id"), _("The partnership's identifier in Partenariat, stored as text.")),
        (_("n"), _("Responses submitted to that campaign.")),
        (_("score"), _("0–100; dimension = mean of its items' scores (item = 50 × mean of A=2, B=1, C=0); domain = mean of its RT scores.")),
        (_("gap"), _("100 − score.")),
        (_("band"), _("Strength from 75; to consolidate from 50; to work on below 50.")),
        (_("Suppression"), _("A campaign with fewer than %(k)s responses stays listed, with blank scores and the reason in the note column.", k=k_funder)),
        (_("What is never here"), _("Campaigns that were not shared by their partnership, free text, individual answers and sector breakdowns.")),
        (_("Instrument versions"), ", ".join(sorted(versions)) or instrument.version),
        (_("Item → RT mapping"), _("The mapping of items to transitional results is Partenariat's proposal: no published mapping exists.")),
        (_("Self-evaluation"), _("These results describe how partners see their partnership. They support discussion; they are not a performance measure.")),
        (_("Median and quartiles"), _("Over the partnerships of a year that have scores (inclusive quartile method).")),
    ]
    dictionary.append(_cells(dictionary, [_("Topic"), _("Meaning")], bold=True))
    for topic, meaning in entries:
        dictionary.append(_cells(dictionary, [topic, meaning]))
    for code in columns:
        dictionary.append(_cells(dictionary, [code, _label(instrument, code, lang)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
