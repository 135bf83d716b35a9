"""The audit log: who shared, exported or changed access, and what was done to accounts.

``record`` adds an entry to the caller's transaction; ``search`` reads the log back for the
administrator's page, newest first; ``action_label`` and ``describe`` say in words what an
entry's code and details mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partenariat.models import AuditEntry, Campaign, Partnership
from partenariat.roles import LABELS as ROLE_LABELS

COMMAND_LINE = "command line"
# The partnerships are in Québec: the log is read, and filtered by day, in their local time.
LOCAL_TIME = ZoneInfo("America/Montreal")
PER_PAGE = 50

# One label per action code. An action missing here (an old or a future one) shows its code.
ACTIONS = {
    "share": _l("campaign shared with funders"),
    "unshare": _l("sharing with funders withdrawn"),
    "funder_access": _l("funder access changed"),
    "funder_export": _l("funder workbook exported"),
    "export_json": _l("portrait exported as JSON"),
    "export_xlsx": _l("coordinator workbook exported"),
    "account_created": _l("account created"),
    "account_disabled": _l("account disabled"),
    "account_enabled": _l("account enabled again"),
    "account_reinvited": _l("new set-password link"),
    "access_changed": _l("partnerships of an account changed"),
    "import_responses": _l("responses imported from a file"),
    "import_events": _l("timeline events imported from a file"),
    "export_plan": _l("action plan exported"),
}

# The words for the keys the code records in ``detail``; another key shows as it is.
DETAILS = {
    "responses": _l("Responses"),
    "file": _l("File"),
    "email": _l("Account"),
    "funder": _l("Funder"),
    "role": _l("Role"),
    "campaign_id": _l("Campaign"),
    "partnership": _l("Partnership"),
    "partnerships": _l("Partnerships"),
    "all": _l("Every partnership"),
    "year": _l("Year"),
    "region": _l("Region"),
    "lang": _l("Language"),
    "format": _l("Format"),
}
LANGUAGE_NAMES = {"fr": _l("French"), "en": _l("English")}


def actor() -> str:
    if has_request_context() and current_user.is_authenticated:
        return current_user.email
    return COMMAND_LINE


def record(session: Session, action: str, **detail) -> None:
    """Add an entry to the current transaction; the caller commits with its own change."""
    session.add(AuditEntry(actor=actor(), action=action, detail=detail))


def action_label(action: str) -> str:
    return str(ACTIONS[action]) if action in ACTIONS else action


def local_time(moment: datetime, lang: str) -> str:
    """A stored time (naive UTC) as the reader's locale writes it, in Québec's time."""
    return format_datetime(moment.replace(tzinfo=UTC), "medium", tzinfo=LOCAL_TIME, locale=lang)


def _utc(day: date) -> datetime:
    """Midnight of a local day, as the naive UTC time the log stores."""
    return datetime.combine(day, time(), tzinfo=LOCAL_TIME).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    action: str | None = None
    since: date | None = None  # first local day shown
    until: date | None = None  # last local day shown


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    number: int  # 1-based
    count: int  # pages, at least 1
    total: int  # entries matching the filters


def search(session: Session, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The entries matching ``filters``, newest first, one page of them (a page past the
    last gives the last)."""
    conditions = []
    if filters.actor:
        conditions.append(AuditEntry.actor == filters.actor)
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.since:
        conditions.append(AuditEntry.at >= _utc(filters.since))
    if filters.until:
        conditions.append(AuditEntry.at < _utc(filters.until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    count = max(1, -(-total // per_page))
    number = min(max(page, 1), count)
    entries = session.scalars(select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc())
                              .offset((number - 1) * per_page).limit(per_page)).all()
    return Page(list(entries), number, count, total)


def actors(session: Session) -> list[str]:
    """Everyone who appears in the log, for the filter's suggestions."""
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def known_actions(session: Session) -> list[str]:
    """The labelled actions, then any other code found in the log."""
    found = set(session.scalars(select(AuditEntry.action).distinct()))
    return [*ACTIONS, *sorted(found - set(ACTIONS))]


@dataclass(frozen=True)
class Names:
    """Names of the partnerships and campaigns that entries refer to by id."""

    partnerships: dict[int, str]
    campaigns: dict[int, str]

    @classmethod
    def of(cls, session: Session, entries: list[AuditEntry]) -> Names:
        partnership_ids, campaign_ids = set(), set()
        for entry in entries:
            detail = entry.detail or {}
            if isinstance(detail.get("partnerships"), list):
                partnership_ids.update(i for i in detail["partnerships"] if isinstance(i, int))
            if isinstance(detail.get("campaign_id"), int):
                campaign_ids.add(detail["campaign_id"])
        partnerships = dict(session.execute(select(Partnership.id, Partnership.name)
                                            .where(Partnership.id.in_(partnership_ids))).all()) if partnership_ids else {}
        campaigns = {ident: f"{name} — {title}" for ident, name, title in session.execute(
            select(Campaign.id, Partnership.name, Campaign.title).join(Partnership)
            .where(Campaign.id.in_(campaign_ids))).all()} if campaign_ids else {}
        return cls(partnerships, campaigns)


def describe(detail: dict | None, names: Names) -> list[tuple[str, str]]:
    """An entry's details as (label, value) pairs in words. Ids of things deleted since
    show as numbers; an empty value is left out."""
    pairs = []
    for key, value in (detail or {}).items():
        if value is None or value == "":
            continue
        if key == "partnerships":
            if value == "all":
                text = _("every partnership")
            elif isinstance(value, list):
                text = ", ".join(names.partnerships.get(i, f"#{i}") for i in value) or _("none")
            else:
                text = str(value)
        elif key == "campaign_id":
            text = f"{names.campaigns[value]} (#{value})" if value in names.campaigns else f"#{value}"
        elif key == "all" and isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif key == "role" and value in ROLE_LABELS:
            text = str(ROLE_LABELS[value])
        elif key == "lang" and value in LANGUAGE_NAMES:
            text = str(LANGUAGE_NAMES[value])
        else:
            text = str(value)
        pairs.append((str(DETAILS[key]) if key in DETAILS else key, text))
    return pairs
