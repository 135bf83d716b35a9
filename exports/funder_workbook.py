"""The funder workbook: shared campaigns only, streamed with openpyxl's
write-only mode so that thousands of campaigns never sit in memory together.

Sheets: summary (medians and quartiles per year, native radar of the median portrait),
tidy long data, one row per partnership and year, evolution, data dictionary. Rows of plain
data in (``partenariat.results.FunderRow``), bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from exports import rules_text
from exports.numbers import one_decimal
from exports.spreadsheet import DEFAULT_WIDTH, LINE_HEIGHT, WRAPPED, chart_label, lines_needed
from partenariat.results import BELOW_K_FUNDER, FunderRow
from partenariat.scoring.aggregates import Summary, codes
from questionnaires import Instrument

SCORE_FORMAT = "0.0"
# Column widths per sheet; write-only sheets take them before their first row, and each
# column is widened to its header (``_fit``) so that no header is cut by the next one.
WIDTHS = {"summary": [10, 46, 14, 14, 14, 14], "tidy": [14, 36, 18, 7, 8, 46, 8, 8, 16, 6, 34],
          "evolution": [14, 36, 8, 46], "dictionary": [26, 110]}
# The summary's first row of medians (after four lines of facts, a blank line and a header).
FIRST_MEDIAN_ROW = 7
# The median radar's size in cm: twelve dimensions' names around it and the years' legend.
RADAR_WIDTH, RADAR_HEIGHT = 24, 16


def _cells(sheet, values: Iterable, formats: dict[int, str] | None = None, bold: bool = False,
           wrap: frozenset[int] = frozenset()) -> list:
    """One row for a write-only sheet. Plain values are the fast path; a cell object is made
    only where needed: text that openpyxl would read as a formula (it starts with "="; other
    text is always written as text), a number format, a bold header or wrapped text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    row = []
    for index, value in enumerate(values):
        needs_format = formats is not None and index in formats and isinstance(value, (int, float))
        if bold or needs_format or index in wrap or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if needs_format:
                cell.number_format = formats[index]
            if bold:
                cell.font = Font(bold=True)
            if index in wrap:
                cell.alignment = WRAPPED
            row.append(cell)
        else:
            row.append(value)
    return row


@dataclass
class _Seen:
    """What the data sheets learn while the rows stream past: the summary and the
    evolution sheet are written from it afterwards."""

    stats: Summary = field(default_factory=Summary)
    # partnership id → (name, {year: scores})
    history: dict[int, tuple[str, dict]] = field(default_factory=dict)
    count: int = 0
    versions: set[str] = field(default_factory=set)


def build(rows: Iterable[FunderRow], instrument: Instrument, lang: str, k_funder: int, year: int | None) -> bytes:
    with force_locale(lang):
        return _build(rows, instrument, lang, k_funder, year)


def _label(instrument: Instrument, code: str, lang: str) -> str:
    if code in instrument.dimensions:
        return instrument.dimensions[code].name.get(lang)
    return instrument.domains[code].name.get(lang)


def _sheet(workbook, title: str, widths: list[int]):
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def _fit(sheet, *rows: Iterable) -> None:
    """Widen columns to each text of ``rows`` (headers, names) on one line, bold included.
    Only before the sheet's first row: a write-only sheet writes its columns then."""
    from openpyxl.utils import get_column_letter

    for row in rows:
        for index, text in enumerate(row, start=1):
            if text is None:
                continue
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = max(dimension.width if dimension.customWidth else DEFAULT_WIDTH,
                                  round(len(str(text)) * 1.1 + 2, 1))


def _build(rows: Iterable[FunderRow], instrument: Instrument, lang: str, k_funder: int, year: int | None) -> bytes:
    from openpyxl import Workbook

    columns = codes(instrument)
    workbook = Workbook(write_only=True)
    summary = _sheet(workbook, _("Summary"), WIDTHS["summary"])
    tidy = _sheet(workbook, _("Data (long)"), WIDTHS["tidy"])
    wide = _sheet(workbook, _("By partnership"), [14, 36, 18, 7, 6, *([8] * len(columns)), 34])
    evolution = _sheet(workbook, _("Evolution"), WIDTHS["evolution"])
    dictionary = _sheet(workbook, _("Data dictionary"), WIDTHS["dictionary"])
    seen = _data_sheets(tidy, wide, rows, instrument, columns, lang, k_funder)
    _summary_sheet(summary, seen, instrument, columns, lang, year)
    _evolution_sheet(evolution, seen, instrument, columns, lang)
    _dictionary_sheet(dictionary, seen, instrument, columns, lang, k_funder)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheets(tidy, wide, rows: Iterable[FunderRow], instrument: Instrument, columns: list[str], lang: str,
                 k_funder: int) -> _Seen:
    """The long and the wide sheet, one pass over the rows."""
    for sheet in (tidy, wide):
        sheet.freeze_panes = "A2"
    reason_text = _("fewer than %(k)s responses: scores withheld", k=k_funder)
    band_names = {b.code: b.name.get(lang) for b in instrument.bands}
    labels = {code: _label(instrument, code, lang) for code in columns}
    tidy_header = [_("partnership_id"), _("partnership"), _("region"), _("year"), _("code"),
                   _("label"), _("score"), _("gap"), _("band"), _("n"), _("note")]
    wide_header = [_("partnership_id"), _("partnership"), _("region"), _("year"), _("n"), *columns, _("note")]
    # The longest label, band and note, so that none runs under the next column's values.
    _fit(tidy, tidy_header, [None] * 5 + [max(labels.values(), key=len), None, None,
                                          max(band_names.values(), key=len), None, reason_text])
    _fit(wide, wide_header, [None] * (5 + len(columns)) + [reason_text])
    tidy.append(_cells(tidy, tidy_header, bold=True))
    wide.append(_cells(wide, wide_header, bold=True))
    seen = _Seen()
    for row in rows:
        seen.count += 1
        seen.versions.add(row.instrument_version)
        seen.stats.add(row.year, row.partnership_id, row.scores)
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
        _name, years = seen.history.get(row.partnership_id, (row.partnership, {}))
        seen.history[row.partnership_id] = (row.partnership, years)  # the latest name
        years[row.year] = row.scores
    return seen


def _summary_sheet(summary, seen: _Seen, instrument: Instrument, columns: list[str], lang: str,
                   year: int | None) -> None:
    """One block of medians per year, then medians and quartiles, then the radar of medians."""
    stats, years = seen.stats, seen.stats.years()
    facts = [[_("Shared campaigns"), seen.count], [_("Year filter"), year if year else _("all years")]]
    medians_header = [_("code"), _("label"), *(f"{_('median')} {y}" for y in years)]
    quartiles_header = [_("year"), _("code"), _("partnerships with scores"), _("median"),
                        _("first quartile"), _("third quartile")]
    # The radar's category labels: the names broken into lines, in a hidden column after both
    # tables; the radar stands one column further.
    label_column = max(len(medians_header), len(quartiles_header)) + 1
    _fit(summary, *facts, medians_header, quartiles_header,
         [None, max((_label(instrument, c, lang) for c in columns), key=len)])
    _hide(summary, label_column)
    summary.append(_cells(summary, [_("Partnership self-assessment — funder summary")], bold=True))
    for fact in facts:
        summary.append(_cells(summary, fact))
    summary.append(_cells(summary, [_("Self-evaluation: these are partners' own readings, not performance measures.")]))
    summary.append([])
    summary.append(_cells(summary, medians_header, bold=True))
    for code in columns:
        medians = [stats.table(y, code) for y in years]
        blank = [None] * (label_column - len(medians_header) - 1)
        summary.append(_cells(summary, [code, _label(instrument, code, lang),
                                        *(one_decimal(m.median) if m else None for m in medians),
                                        *blank, chart_label(_label(instrument, code, lang))],
                              formats={i: SCORE_FORMAT for i in range(2, 2 + len(years))}))
    summary.append([])
    summary.append(_cells(summary, quartiles_header, bold=True))
    for y in years:
        for code in columns:
            s = stats.table(y, code)
            summary.append(_cells(summary, [y, code, s.count if s else 0, one_decimal(s.median) if s else None,
                                            one_decimal(s.q1) if s else None, one_decimal(s.q3) if s else None],
                                  formats={3: SCORE_FORMAT, 4: SCORE_FORMAT, 5: SCORE_FORMAT}))
    if years:
        _median_radar(summary, len(years), len(instrument.dimensions), label_column)


def _hide(sheet, column: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions[get_column_letter(column)].hidden = True


def _median_radar(summary, n_years: int, n_dimensions: int, label_column: int) -> None:
    """A native radar of the dimensions' medians, one series per year, each axis under the
    dimension's name."""
    from openpyxl.chart import RadarChart, Reference
    from openpyxl.utils import get_column_letter

    chart = RadarChart()
    chart.type = "marker"
    chart.title = _("Median portrait per year")
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.delete = False
    last = FIRST_MEDIAN_ROW - 1 + n_dimensions
    chart.add_data(Reference(summary, min_col=3, max_col=2 + n_years, min_row=FIRST_MEDIAN_ROW - 1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=label_column, min_row=FIRST_MEDIAN_ROW, max_row=last))
    chart.visible_cells_only = False  # the labels' column is hidden
    chart.legend.position = "b"
    chart.height, chart.width = RADAR_HEIGHT, RADAR_WIDTH
    summary.add_chart(chart, f"{get_column_letter(label_column + 2)}2")


def _evolution_sheet(evolution, seen: _Seen, instrument: Instrument, columns: list[str], lang: str) -> None:
    """Partnerships with two shared years or more: each code per year, and the change."""
    years = seen.stats.years()
    evolution_header = [_("partnership_id"), _("partnership"), _("code"), _("label"), *(str(y) for y in years),
                        _("change, first to last year")]
    _fit(evolution, evolution_header, [None, None, None, max((_label(instrument, c, lang) for c in columns), key=len)])
    evolution.append(_cells(evolution, evolution_header, bold=True))
    for pid, (name, by_year_scores) in seen.history.items():
        seen_years = sorted(by_year_scores)
        if len(seen_years) < 2:
            continue
        for code in columns:
            by_year = {y: by_year_scores[y].get(code) for y in seen_years}
            known = [by_year[y] for y in seen_years if by_year[y] is not None]
            change = one_decimal(known[-1] - known[0]) if len(known) >= 2 else None
            evolution.append(_cells(evolution, [str(pid), name, code, _label(instrument, code, lang),
                                                *(one_decimal(by_year.get(y)) for y in years), change],
                                    formats={i: SCORE_FORMAT for i in range(4, 5 + len(years))}))


def _dictionary_sheet(dictionary, seen: _Seen, instrument: Instrument, columns: list[str], lang: str,
                      k_funder: int) -> None:
    entries = [
        (_("partnership_id"), _("The partnership's identifier in Partenariat, stored as text.")),
        (_("n"), _("Responses submitted to that campaign.")),
        (_("score"), _("0–100; dimension = mean of its items' scores (item = %(factor)s × mean of %(values)s); domain = mean of its RT scores.",
                       factor=rules_text.item_factor(instrument), values=rules_text.answer_values(instrument))),
        (_("gap"), _("100 − score.")),
        (_("band"), rules_text.bands(instrument, lang)),
        (_("Suppression"), _("A campaign with fewer than %(k)s responses stays listed, with blank scores and the reason in the note column.", k=k_funder)),
        (_("What is never here"), _("Campaigns that were not shared by their partnership, free text, individual answers and sector breakdowns.")),
        (_("Instrument versions"), ", ".join(sorted(seen.versions)) or instrument.version),
        (_("Item → RT mapping"), _("The mapping of items to transitional results is Partenariat's proposal: no published mapping exists.")),
        (_("Self-evaluation"), _("These results describe how partners see their partnership. They support discussion; they are not a performance measure.")),
        (_("Median and quartiles"), _("Over the partnerships of a year that have scores (inclusive quartile method).")),
    ]
    dictionary.append(_cells(dictionary, [_("Topic"), _("Meaning")], bold=True))
    meaning_width = WIDTHS["dictionary"][1]
    for row, (topic, meaning) in enumerate(entries, start=2):
        # Long meanings wrap; a write-only row takes its height before it is written.
        lines = max(lines_needed(topic, WIDTHS["dictionary"][0]), lines_needed(meaning, meaning_width))
        if lines > 1:
            dictionary.row_dimensions[row].height = lines * LINE_HEIGHT
        dictionary.append(_cells(dictionary, [topic, meaning], wrap=frozenset({0, 1})))
    for code in columns:
        dictionary.append(_cells(dictionary, [code, _label(instrument, code, lang)]))
