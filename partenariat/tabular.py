"""Read a CSV or XLSX upload as rows of text cells, keeping spreadsheet row numbers.

Both the response import and the roster import go through here, so both accept the same
files: UTF-8 (with or without BOM) or Windows-1252 CSV with ',' or ';', and the first sheet
of an XLSX workbook.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path


class TabularError(ValueError):
    """The file cannot be read as a table; ``code`` says why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Table:
    header: list[str]
    # (spreadsheet row number, cells as text keyed by lower-cased header)
    rows: list[tuple[int, dict[str, str]]]
    # cells that were not text in a spreadsheet: {(row, column): kind}
    non_text: dict[tuple[int, str], str]


def read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(data)
    raise TabularError("unsupported_type", suffix)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError("encoding")


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise TabularError("binary")
    text = _decode(data)
    if not text.strip():
        raise TabularError("empty")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise TabularError("malformed", str(exc)) from None
    return _build(records, {})


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # openpyxl is imported only when a workbook comes in

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TabularError("bad_xlsx", type(exc).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        records, non_text = [], {}
        for row in sheet.iter_rows(values_only=True):
            cells = []
            for value in row:
                if value is None:
                    cells.append("")
                elif isinstance(value, str):
                    cells.append(value)
                else:
                    kind = "date" if isinstance(value, (date, datetime, time)) else "number"
                    non_text[(len(records) + 1, len(cells))] = kind
                    cells.append(str(value))
            records.append(cells)
    finally:
        workbook.close()
    return _build(records, non_text)


def _build(records: list[list[str]], non_text_by_index: dict) -> Table:
    # Trailing empty rows are common in spreadsheets and are not data.
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise TabularError("empty")
    header = [cell.strip().lower() for cell in records[0]]
    while header and not header[-1]:
        header.pop()
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise TabularError("duplicate_columns", ", ".join(duplicates))
    rows, non_text = [], {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            raise TabularError("extra_cells", str(number))
        cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        rows.append((number, cells))
    for (row_index, col_index), kind in non_text_by_index.items():
        if row_index > 1 and col_index < len(header):
            non_text[(row_index, header[col_index])] = kind
    return Table(header=header, rows=rows, non_text=non_text)
