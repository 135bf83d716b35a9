"""Backup and restore of the whole database as one JSON document (any engine to any engine).

Everything is carried as stored: users (with password hashes), partnerships, campaigns and
their instrument versions, invitations (token hashes only), responses, the controversy
register and the audit log. A restore goes into an empty, migrated database, in one
transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from alembic.runtime.migration import MigrationContext
from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, func, insert, select, text
from sqlalchemy.orm import Session

import partenariat.models  # noqa: F401  (every table on Base.metadata)
from partenariat.database import Base

FORMAT = "partenariat-backup"
VERSION = 1


class BackupError(ValueError):
    pass


def _revision(session: Session) -> str | None:
    return MigrationContext.configure(session.connection()).get_current_revision()


def dump(session: Session) -> dict:
    tables = {}
    for table in Base.metadata.sorted_tables:
        rows = []
        for row in session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
            rows.append({key: value.isoformat() if isinstance(value, (date, datetime)) else value
                         for key, value in row.items()})
        tables[table.name] = rows
    return {"format": FORMAT, "version": VERSION, "schema_revision": _revision(session), "tables": tables}


def _convert(table, row: dict) -> dict:
    converted = {}
    for column in table.columns:
        if column.name not in row:
            continue
        value = row[column.name]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        converted[column.name] = value
    return converted


def restore(session: Session, data: dict) -> dict[str, int]:
    """Load a dump into this (empty, migrated) database; returns rows per table. Everything
    is added in the caller's transaction (the command commits once)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(_("This file is not a Partenariat backup."))
    if data.get("version") != VERSION:
        raise BackupError(_("This backup was made by another version of Partenariat (format %(v)s).", v=data.get("version")))
    if data.get("schema_revision") != _revision(session):
        raise BackupError(_("The backup's schema (%(theirs)s) differs from this database's (%(ours)s): run init-db on both sides first.",
                            theirs=data.get("schema_revision"), ours=_revision(session)))
    for table in Base.metadata.sorted_tables:
        if session.scalar(select(func.count()).select_from(table)):
            raise BackupError(_("The database is not empty (table %(table)s): restore only into a new database.", table=table.name))
    counts = {}
    for table in Base.metadata.sorted_tables:
        rows = [_convert(table, row) for row in data["tables"].get(table.name, [])]
        if rows:
            session.execute(insert(table), rows)
        counts[table.name] = len(rows)
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted: move each sequence past them.
        for table in Base.metadata.sorted_tables:
            if "id" in table.columns and table.columns["id"].autoincrement is not False and \
                    str(table.columns["id"].type).upper().startswith("INTEGER"):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
