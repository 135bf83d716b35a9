"""Small helpers shared by the workbooks: safe text cells, header rows, widths, the heights
of rows with wrapped text, and the labels of native charts."""

from __future__ import annotations

import textwrap

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="083F78")
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)
SCORE_FORMAT = "0.0"
SHARE_FORMAT = "0.0%"
# A column without a width of its own, in characters of the default font (Excel's unit).
DEFAULT_WIDTH = 8.43
# Points per line of 11-point text (Calibri, or Carlito in LibreOffice) with the cell's margin.
LINE_HEIGHT = 15.0
# Characters per line of a chart's category label: LibreOffice does not wrap category labels,
# it shrinks them until they fit, so long names are broken into lines beforehand.
CHART_LABEL_WIDTH = 22
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def put(sheet, row: int, column: int, value, number_format: str | None = None):
    """Write one cell. Text is always stored as text: a value such as "=HYPERLINK(…)",
    "+1", "-x", "@user" or one starting with a tab never becomes a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def fit_to_page_width(sheet) -> None:
    """Print in landscape, as wide as the page, as many pages tall as needed."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def header(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = put(sheet, row, column, label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAPPED


def widths(sheet, values: list[int]) -> None:
    for column, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def column_width(sheet, column: int) -> float:
    letter = get_column_letter(column)
    return sheet.column_dimensions[letter].width if letter in sheet.column_dimensions else DEFAULT_WIDTH


def lines_needed(text, width: float) -> int:
    """The lines ``text`` takes in a wrapping cell ``width`` characters wide. Two characters
    are kept in hand: widths count the digit 0, and capitals and bold text are wider."""
    chars = max(1, int(width) - 2)
    return sum(len(textwrap.wrap(part, chars)) or 1 for part in str(text).split("\n"))


def fit_row_heights(sheet, first_row: int = 1) -> None:
    """Give each row the height its wrapped cells need. A row without a height is drawn at
    the default height by LibreOffice, its wrapped text running over the rows below."""
    for row in sheet.iter_rows(min_row=first_row):
        lines = max((lines_needed(cell.value, column_width(sheet, cell.column)) for cell in row
                     if cell.value is not None and cell.alignment.wrap_text), default=1)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT
            # Every cell at the top, so that the tall row still reads across.
            for cell in row:
                if cell.value is not None and not cell.alignment.wrap_text:
                    cell.alignment = TOP


def chart_label(name: str) -> str:
    """A category name broken into short lines, for a chart's axis."""
    # Broken at spaces only, so that the label reads back as the name.
    return "\n".join(textwrap.wrap(name, CHART_LABEL_WIDTH, break_on_hyphens=False)) or name


def table_sheet(workbook, title: str, labels: list[str], rows, formats: dict[int, str] | None = None,
                column_widths: list[int] | None = None, wrap: set[int] | None = None):
    """A sheet with a frozen header row and one row per item of ``rows``."""
    sheet = workbook.create_sheet(title)
    fit_to_page_width(sheet)
    header(sheet, 1, labels)
    sheet.freeze_panes = "A2"
    formats = formats or {}
    for row_index, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row_index, column, value, formats.get(column) if value is not None else None)
            if wrap and column in wrap:
                cell.alignment = WRAPPED
    if column_widths:
        widths(sheet, column_widths)
    fit_row_heights(sheet)
    return sheet
