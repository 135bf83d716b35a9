"""File downloads shared by the blueprints."""

from __future__ import annotations

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes | str, filename: str, mimetype: str = XLSX) -> Response:
    # Workbooks and link lists hold results or personal links: no copy stays in a cache.
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}",
                                                      "Cache-Control": "no-store"})
