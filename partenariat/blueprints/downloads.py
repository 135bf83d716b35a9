"""File downloads shared by the blueprints."""

from __future__ import annotations

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes | str, filename: str, mimetype: str = XLSX) -> Response:
    # Workbooks and link lists hold results or personal links: no copy stays in a cache.
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}",
                                                      "Cache-Control": "no-store"})


# A spreadsheet program opening a CSV runs a cell that starts with one of these as a formula
# (e.g. a label typed as "=HYPERLINK(…)"): such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_attachment(header: list[str], rows, filename: str) -> Response:
    """A UTF-8 CSV (with a BOM, so that Excel reads the accents) whose cells are all safe text."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return attachment("\ufeff" + buffer.getvalue(), filename, "text/csv")
