"""The coordinator's and the funder's workbooks read well once opened: wrapped text has the
row height it needs, no header or name is cut by the next column, and the native radars
name their axes (dimension names, broken into short lines so that a spreadsheet program
keeps them readable inside the chart's frame), without covering a table or each other.

The files are read back with openpyxl; tests/test_libreoffice.py opens the same files in
LibreOffice. The bounds below are set independently of the code that lays the sheets out:
they are what any 11-point text needs, so a sheet left at its defaults fails them.
"""

from __future__ import annotations

import itertools
import math
import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from questionnaires import load_instrument
from tests.test_libreoffice import workbooks

INSTRUMENT = load_instrument()
DEFAULT_WIDTH, DEFAULT_HEIGHT = 8.43, 15.0
# An 11-point line needs at least 13 points; a width unit (the digit 0) holds at most 4/3
# characters of ordinary text, so a text of n characters needs at least 0.75 n / width lines.
MIN_LINE_POINTS, MAX_CHARS_PER_UNIT = 13.0, 4 / 3
EMU_PER_CM, POINTS_PER_CM = 360_000, 72 / 2.54


@pytest.fixture
def books(app):
    """File name → workbook read back from its bytes, for the coordinator's and the funder's."""
    import io

    return {name: load_workbook(io.BytesIO(data)) for name, (data, _text) in workbooks(app).items()
            if not name.startswith("entry-template")}


def width_of(sheet, column: int) -> float:
    """openpyxl saves neighbouring columns of one width as one range: look the column up in them."""
    for dimension in sheet.column_dimensions.values():
        low, high = dimension.min or column_index_from_string(dimension.index), dimension.max
        if low <= column <= (high or low) and dimension.customWidth:
            return dimension.width
    return DEFAULT_WIDTH


def hidden(sheet, column: int) -> bool:
    return any(d.hidden and (d.min or 0) <= column <= (d.max or 0) for d in sheet.column_dimensions.values())


def height_of(sheet, row: int) -> float:
    return sheet.row_dimensions[row].height or DEFAULT_HEIGHT


def lines_at_least(text: str, width: float) -> int:
    return sum(max(1, math.ceil(len(part) / (width * MAX_CHARS_PER_UNIT))) for part in text.split("\n"))


def test_wrapped_text_has_the_height_it_needs(books):
    short, checked = [], 0
    for name, book in books.items():
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or not cell.alignment.wrap_text or hidden(sheet, cell.column):
                        continue
                    checked += 1
                    lines = lines_at_least(cell.value, width_of(sheet, cell.column))
                    if height_of(sheet, cell.row) < lines * MIN_LINE_POINTS:
                        short.append(f"{name} {sheet.title}!{cell.coordinate}: {lines} lines in "
                                     f"{height_of(sheet, cell.row)} pt: {cell.value[:60]}")
    assert checked > 200  # statements, definitions, dictionaries, headers, in both languages
    assert not short, f"{len(short)} wrapped cells run over the next row:\n" + "\n".join(short[:20])


def test_a_long_dictionary_entry_gets_several_lines(books):
    """Hand-checked: the "Discussion points" meaning is over 300 characters in a column 110
    wide: at least ceil(300 × 0.75 / 110) = 3 lines, 39 points."""
    sheet = books["coordinator-above-k-en.xlsx"]["Data dictionary"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Discussion points"]
    assert len(row[1].value) > 300 and row[1].alignment.wrap_text
    assert height_of(sheet, row[0].row) >= 39
    # The tall row reads across: its topic sits at the top too.
    assert row[0].alignment.vertical == "top"


def test_no_header_or_name_is_cut_by_the_next_column(books):
    """A text that does not wrap shows whole only if its column holds it (a bold character is
    about one width unit) or the cell to its right is empty (it then runs over it)."""
    cut = []
    for name, book in books.items():
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if (not isinstance(cell.value, str) or cell.alignment.wrap_text or "\n" in cell.value
                            or hidden(sheet, cell.column)):
                        continue
                    right = sheet.cell(row=cell.row, column=cell.column + 1)
                    if right.value is None or hidden(sheet, cell.column + 1):
                        continue
                    if len(cell.value) + 1 > width_of(sheet, cell.column):
                        cut.append(f"{name} {sheet.title}!{cell.coordinate} ({width_of(sheet, cell.column)} wide): "
                                   f"{cell.value[:60]}")
    assert not cut, f"{len(cut)} texts cut by their neighbour:\n" + "\n".join(cut[:30])


def funder_header_widths(book, sheet_name: str) -> dict[str, float]:
    sheet = book[sheet_name]
    return {cell.value: width_of(sheet, cell.column) for cell in next(sheet.iter_rows()) if cell.value}


def test_funder_headers_are_wide_enough(books):
    """The headers that collided: "partnerships with scores" (24 characters) sat in a column
    14 wide, "change, first to last year" (26) in one 8 wide."""
    summary = books["funder-en.xlsx"]["Summary"]
    (quartiles,) = [row for row in summary.iter_rows() if row[0].value == "year"]
    widths = {cell.value: width_of(summary, cell.column) for cell in quartiles if cell.value}
    assert widths["partnerships with scores"] >= 25 and widths["third quartile"] >= 15
    assert funder_header_widths(books["funder-en.xlsx"], "Evolution")["change, first to last year"] >= 27
    assert funder_header_widths(books["funder-fr.xlsx"], "Évolution")["variation, première à dernière année"] >= 37


REFERENCE = re.compile(r"^'?(?P<sheet>[^!']+)'?!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$[A-Z]+\$(?P<last>\d+)$")


def categories(book, chart) -> tuple[object, int, list[str]]:
    """(sheet, column, texts) of the cells a chart's categories point at."""
    ref = chart.series[0].cat
    match = REFERENCE.match((ref.strRef or ref.numRef).f)
    sheet = book[match["sheet"]]
    column = column_index_from_string(match["col"])
    texts = [sheet.cell(row=r, column=column).value for r in range(int(match["first"]), int(match["last"]) + 1)]
    return sheet, column, texts


def names(kind: str | None, lang: str) -> list[str]:
    if kind == "domains":
        return [d.name.get(lang) for d in INSTRUMENT.domains.values()]
    return [d.name.get(lang) for d in INSTRUMENT.dimensions.values() if kind is None or d.kind == kind]


def check_axis_labels(book, chart, expected: list[str]) -> None:
    sheet, column, texts = categories(book, chart)
    assert [t.replace("\n", " ") for t in texts] == expected
    assert not set(texts) & (set(INSTRUMENT.dimensions) | set(INSTRUMENT.domains)), "codes on the axes"
    # Short lines: a spreadsheet program shrinks a long label until it fits.
    assert max(len(line) for t in texts for line in t.split("\n")) <= 24
    # The broken names live in a hidden column: the chart must be told to show hidden cells,
    # or its axes come out unnamed.
    assert hidden(sheet, column) and chart.visible_cells_only is False
    # Room for a label column of ~24 characters (about 0.2 cm each at the chart's small
    # font) on each side of a plot at least 8 cm across.
    assert chart.anchor.ext.width / EMU_PER_CM >= 2 * 24 * 0.2 + 8


def chart_box(sheet, chart) -> tuple[int, float, float]:
    """(first column, top, bottom) of a chart, top and bottom in points from the sheet's top."""
    start = chart.anchor._from
    top = sum(height_of(sheet, r) for r in range(1, start.row + 1))
    return start.col + 1, top, top + chart.anchor.ext.height / EMU_PER_CM * POINTS_PER_CM


def last_table_column(sheet) -> int:
    return max(cell.column for row in sheet.iter_rows() for cell in row
               if cell.value is not None and not hidden(sheet, cell.column))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_coordinator_radars_name_their_axes_and_stand_apart(books, lang):
    book = books[f"coordinator-above-k-{lang}.xlsx"]
    summary = book.worksheets[0]
    conditions, keys, domains = summary._charts
    check_axis_labels(book, conditions, names("condition", lang))
    check_axis_labels(book, keys, names("key", lang))
    check_axis_labels(book, domains, names("domains", lang))
    boxes = [chart_box(summary, chart) for chart in summary._charts]
    assert all(column > last_table_column(summary) for column, _top, _bottom in boxes), "a chart covers a table"
    for (_c, _top, bottom), (_c2, next_top, _b) in itertools.pairwise(boxes):
        assert bottom <= next_top, "two radars overlap"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_funder_radar_shows_dimension_names(books, lang):
    book = books[f"funder-{lang}.xlsx"]
    summary = book.worksheets[0]
    (chart,) = summary._charts
    check_axis_labels(book, chart, names(None, lang))
    column, _top, _bottom = chart_box(summary, chart)
    assert column > last_table_column(summary), f"the radar covers column {get_column_letter(last_table_column(summary))}"
    assert chart.legend.position == "b"  # the years under the chart, not eating its width
