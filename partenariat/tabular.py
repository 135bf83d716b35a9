"""Read a CSV or XLSX upload as rows of text cells, keeping spreadsheet row numbers.

Both the response import and the roster import go through here, so both accept the same
files: UTF-8 (with or without BOM) or Windows-1252 CSV with ',' or ';', and the first sheet
of an XLSX workbook.

Every file is bounded before it is read in full: at most ``MAX_ROWS`` rows under the header
and ``MAX_COLUMNS`` columns (the imports need at most 45), and for an XLSX file at most
``MAX_UNCOMPRESSED`` bytes once unzipped. A workbook is a zip of XML parts that can declare,
or inflate to, far more than its size on disk (a 1.6 KB file declaring A1:XFD1048576 made
openpyxl pad every row to 16,384 cells), so those limits are checked on the zip's directory
and on a streaming pass over the sheet before openpyxl builds a single row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from xml.etree.ElementTree import iterparse

from partenariat.messages import _l

MAX_ROWS = 5_000  # under the header
MAX_COLUMNS = 200
# Uncompressed size of all the parts of a workbook. A full 5,000 x 45 response sheet is about
# 11 MB of XML; beyond this the file is a zip bomb or not an import.
MAX_UNCOMPRESSED = 20 * 1024 * 1024

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# Why a file cannot be read, by TabularError code (``%(detail)s`` is the error's detail): the
# one wording that every importer shows (responses, rosters, timelines).
UNREADABLE = {
    "unsupported_type": _l("Only CSV and XLSX files can be read (got %(detail)s)."),
    "encoding": _l("The file is not text in UTF-8 or Windows-1252; save it again as CSV UTF-8."),
    "binary": _l("The file looks binary, not CSV; export it as CSV or XLSX."),
    "empty": _l("The file is empty."),
    "malformed": _l("The CSV file is malformed (%(detail)s)."),
    "bad_xlsx": _l("The XLSX file cannot be opened; it may be damaged or not a real Excel file."),
    "duplicate_columns": _l("Columns appear twice: %(detail)s."),
    "too_big": _l("The XLSX file unpacks to more than %(detail)s MB; it cannot be an import. "
                  "Save only the sheet to import, or export it as CSV."),
    "too_many_rows": _l("The sheet has more than %(detail)s rows under its header (or says it has); "
                        "split it into several files, or delete the empty rows below the data."),
    "too_many_columns": _l("The sheet has more than %(detail)s columns (or says it has); "
                           "delete the columns that are not part of the import."),
}


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


def check_extent(row_number: int, column_number: int) -> None:
    """Refuse a table reaching beyond row 1 + MAX_ROWS or column MAX_COLUMNS (both 1-based)."""
    if row_number > MAX_ROWS + 1:
        raise TabularError("too_many_rows", str(MAX_ROWS))
    if column_number > MAX_COLUMNS:
        raise TabularError("too_many_columns", str(MAX_COLUMNS))


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
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            check_extent(len(records) + 1, len(record))
            records.append(record)
    except csv.Error as exc:
        raise TabularError("malformed", str(exc)) from None
    return _build(records, {})


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, once its directory says it unzips to a bounded size. zipfile never
    returns more bytes of a part than the directory declares (it fails the CRC instead), so
    the declared sizes are a real bound on what openpyxl can inflate."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TabularError("bad_xlsx", type(exc).__name__) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        archive.close()
        raise TabularError("too_big", str(MAX_UNCOMPRESSED // (1024 * 1024)))
    return archive


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> None:
    """Stream through the sheet's XML, refusing a declared dimension, a row or a cell beyond
    the limits, before openpyxl materialises rows (it builds a whole row at once and fills in
    every missing row and column up to the last one)."""
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    rows_seen = row_number = cells_in_row = column_number = 0
    open_elements = []
    try:
        with archive.open(path) as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "end":
                    # Drop each element once read, so memory stays flat however long the sheet.
                    open_elements.pop()
                    if open_elements:
                        open_elements[-1].remove(element)
                    continue
                open_elements.append(element)
                if element.tag == f"{_SHEET_NS}dimension":
                    _min_col, _min_row, max_col, max_row = range_boundaries(element.get("ref", "A1"))
                    check_extent(max_row or 1, max_col or 1)
                elif element.tag == f"{_SHEET_NS}row":
                    # As openpyxl numbers rows: the explicit number, or the next one.
                    row_number = int(float(element.get("r"))) if element.get("r") else row_number + 1
                    rows_seen += 1
                    cells_in_row = column_number = 0
                    check_extent(max(row_number, rows_seen), 1)
                elif element.tag == f"{_SHEET_NS}c":
                    reference = element.get("r")
                    column_number = coordinate_to_tuple(reference)[1] if reference else column_number + 1
                    cells_in_row += 1
                    check_extent(row_number, max(column_number, cells_in_row))
    except TabularError:
        raise
    except Exception as exc:  # broken XML, a bad row or cell reference, a damaged zip part
        raise TabularError("bad_xlsx", type(exc).__name__) from None


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # openpyxl is imported only when a workbook comes in

    with _open_zip(data) as archive:
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise TabularError("bad_xlsx", type(exc).__name__) from None
        try:
            if not workbook.worksheets:
                raise TabularError("bad_xlsx", "no sheet")
            sheet = workbook.worksheets[0]
            # openpyxl keeps the part name of a read-only sheet only in this attribute.
            _scan_sheet(archive, sheet._worksheet_path)
            # The declared dimension is within the limits, but it may still be wrong either
            # way: too small would silently drop rows, so read the rows that are there.
            sheet.reset_dimensions()
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
        except TabularError:
            raise
        except Exception as exc:  # a sheet openpyxl cannot parse is a damaged file
            raise TabularError("bad_xlsx", type(exc).__name__) from None
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
