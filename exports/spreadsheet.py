"""Small helpers shared by the workbooks: safe text cells, header rows, widths."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="083F78")
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)
SCORE_FORMAT = "0.0"
SHARE_FORMAT = "0.0%"


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
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def widths(sheet, values: list[int]) -> None:
    for column, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


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
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if column_widths:
        widths(sheet, column_widths)
    return sheet
