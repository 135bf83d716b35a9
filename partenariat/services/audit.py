"""The audit log: sharing changes, funder access changes and funder exports."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import AuditEntry

COMMAND_LINE = "command line"


def actor() -> str:
    if has_request_context() and current_user.is_authenticated:
        return current_user.email
    return COMMAND_LINE


def record(session: Session, action: str, **detail) -> None:
    """Add an entry to the current transaction; the caller commits with its own change."""
    session.add(AuditEntry(actor=actor(), action=action, detail=detail))


def latest(session: Session, limit: int = 500) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
