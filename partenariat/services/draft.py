"""The partner's draft: answers saved on the server against the invitation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import JSON, String, bindparam, cast, func, insert, literal_column, or_, select, update
from sqlalchemy.orm import Session

from partenariat.database import dialect_name, run_one_statement
from partenariat.models import Campaign, Draft, Invitation
from partenariat.models.timestamps import utcnow
from partenariat.services.invitation import LinkCampaign, StartedLink, plausible
from partenariat.statuses import CampaignStatus, InvitationStatus
from partenariat.tokens import hash_token
from questionnaires import ANSWER_CODES, MISSING_CODE, Instrument, load_instrument
from questionnaires.loader import available_versions

VALID_CODES = (*ANSWER_CODES, MISSING_CODE)
# A partner reports a few controversies, not a file: the cap keeps drafts (and the register)
# small whatever a script posts.
MAX_REPORTS = 10
MAX_TITLE, MAX_DESCRIPTION = 200, 2000


@dataclass(frozen=True)
class ReportInput:
    """A controversy reported by a partner (docs/instruments.md)."""

    title: str
    description: str
    nature: str | None
    status: str | None
    means: tuple[str, ...]
    effect: str | None

    def as_dict(self) -> dict:
        return {
            "id": secrets.token_hex(4),
            "title": self.title[:MAX_TITLE],
            "description": self.description[:MAX_DESCRIPTION],
            "nature": self.nature,
            "status": self.status,
            "means": list(self.means),
            "effect": self.effect,
        }


def empty() -> dict:
    return {"sector": None, "answers": {}, "reports": []}


# Table-level statements, as in the submission service: a click is saved many times per
# page, and the ORM's bookkeeping (identity map, unit of work) was most of its cost (T6).
_draft = Draft.__table__
READ = select(_draft.c.data).where(_draft.c.invitation_id == bindparam("link"))
READ_LOCKED = READ.with_for_update()
WRITE = update(_draft).where(_draft.c.invitation_id == bindparam("link")).values(
    data=bindparam("new_data"), updated_at=bindparam("now"))
CREATE = insert(_draft).values(invitation_id=bindparam("link"), data=bindparam("new_data"), updated_at=bindparam("now"))


def read(session: Session, invitation: Invitation) -> dict:
    stored = session.connection().execute(READ, {"link": invitation.id}).scalar()
    return {**empty(), **(stored or {})}


def update(
    session: Session,
    invitation: Invitation,
    *,
    answers: dict[str, str | None] | None = None,
    sector: str | None = None,
    add_report: ReportInput | None = None,
    remove_report: str | None = None,
) -> dict:
    """Merge changes into the draft: one read and one write (the request commits).

    ``answers`` maps item codes to a code, or None to clear an answer. Callers validate
    values first; anything else is ignored rather than stored.
    """
    connection = session.connection()
    # On PostgreSQL the row stays locked until the request commits, so two saves of the same
    # link in parallel (two tabs, a click racing a "Save" button) each keep the other's
    # answers. SQLite ignores FOR UPDATE; there respond.js sending one click at a time per
    # tab is what keeps a tab's answers in order.
    stored = connection.execute(READ_LOCKED, {"link": invitation.id}).scalar()
    data = _write(connection, invitation.id, stored, answers=answers, sector=sector, add_report=add_report,
                  remove_report=remove_report)
    invitation.mark_started()
    session.flush()
    return data


def _answer_merged(dialect: str):
    """The draft's data with one answer (:code → :value) merged into its answers, in SQL:
    the database merges into the row as it is when the UPDATE gets it, so two clicks of
    the same link at once each keep the other's answer without a locking read first."""
    code, value = bindparam("code", type_=String), bindparam("value", type_=String)
    if dialect == "postgresql":
        # (Imported here: SQLite needs none of PostgreSQL's dialect, a twentieth of start-up, T4.)
        from sqlalchemy.dialects.postgresql import JSONB

        stored = cast(_draft.c.data, JSONB)
        # (An empty object built in SQL: a bound '{}' cast to JSONB would be bound as the JSON
        # string "{}", and a string || an object is an array.)
        answers = func.coalesce(stored["answers"], func.jsonb_build_object()).op("||")(func.jsonb_build_object(code, value))
        return cast(stored.op("||")(func.jsonb_build_object("answers", answers)), JSON)
    # SQLite: an RFC 7396 merge patch, which creates "answers" if missing (values are never null).
    return func.json_patch(_draft.c.data, func.json_object("answers", func.json_object(code, value)))


_invitation, _campaign = Invitation.__table__, Campaign.__table__


@lru_cache(maxsize=16)
def _save_started_statement(dialect: str, version_count: int):
    """The statement for a question asked by ``version_count`` instrument versions: one
    bind parameter each (an expanding IN list is rendered anew at every execution)."""
    link = (_invitation.c.language, _campaign.c.status, _campaign.c.opens_on, _campaign.c.closes_on,
            _campaign.c.languages, _campaign.c.instrument_version)
    if dialect == "sqlite":
        # SQLite's RETURNING may name only the updated table (and SQLAlchemy renders its
        # columns unqualified there): the link's other columns through correlated subqueries.
        link = tuple(literal_column(
            f"(SELECT {column.table.name}.{column.name} FROM {_invitation.name} JOIN {_campaign.name} "
            f"ON {_campaign.name}.id = {_invitation.name}.campaign_id "
            f"WHERE {_invitation.name}.id = {_draft.name}.invitation_id)", type_=column.type) for column in link)
    today = bindparam("today")
    return (
        _draft.update()  # (this module's own ``update`` is the service above)
        .where(_draft.c.invitation_id == _invitation.c.id, _invitation.c.campaign_id == _campaign.c.id,
               _invitation.c.token_hash == bindparam("digest"), _invitation.c.status == InvitationStatus.STARTED,
               # The campaign's rules, as Campaign.availability says "open" and answer_problem
               # says nothing: the statement writes only what the ordinary way would keep.
               _campaign.c.status == CampaignStatus.OPEN,
               or_(_campaign.c.opens_on.is_(None), _campaign.c.opens_on <= today),
               or_(_campaign.c.closes_on.is_(None), _campaign.c.closes_on >= today),
               _campaign.c.instrument_version.in_([bindparam(f"version{i}") for i in range(version_count)]))
        .values(data=_answer_merged(dialect), updated_at=bindparam("now"))
        .returning(_draft.c.invitation_id, *link, _draft.c.data)
    )


@lru_cache(maxsize=1)
def _versions_by_item() -> dict[str, tuple[str, ...]]:
    """For each question code, the instrument versions that ask it (instruments are data
    on disk, loaded once per process)."""
    asking: dict[str, list[str]] = {}
    for version in available_versions():
        for code in load_instrument(version).items:
            asking.setdefault(code, []).append(version)
    return {code: tuple(versions) for code, versions in asking.items()}


def save_started(token: str, code: str, value: str, today: date) -> StartedLink | None:
    """Save one answer for the link of ``token`` if its partner has started (a draft exists),
    its campaign is open on ``today`` and asks that question, in one statement that also
    returns the link, its campaign and the merged draft (T6: the most frequent request of
    all). A single UPDATE is atomic on its own, so it runs as a transaction of its own,
    outside the request's (``run_one_statement``): on PostgreSQL one round trip instead of
    BEGIN, UPDATE, COMMIT; on SQLite the write lock is held for the UPDATE alone.

    None when nothing was written: a wrong link (which the caller then looks up with
    ``find_by_token_for`` so that it counts against the guessing limit), a link not started,
    a campaign not open, a question its instrument does not ask, an answer that is not one
    of the choices. The caller then goes the ordinary way, which says why.
    """
    versions = _versions_by_item().get(code)
    if value not in VALID_CODES or not versions or not plausible(token):
        return None
    params = {"digest": hash_token(token), "code": code, "value": value, "now": utcnow(), "today": today,
              **{f"version{i}": version for i, version in enumerate(versions)}}
    statement = _save_started_statement(dialect_name(), len(versions))
    row = run_one_statement(statement, params)
    if row is None:
        return None
    return StartedLink(row[0], row[1], LinkCampaign(*row[2:7]), row[7])


def _write(connection, invitation_id: int, stored: dict | None, *, answers=None, sector=None, add_report=None,
           remove_report=None) -> dict:
    data = {**empty(), **(stored or {})}
    merged = dict(data["answers"])
    for code, value in (answers or {}).items():
        if value in VALID_CODES:
            merged[code] = value
        else:
            merged.pop(code, None)
    data["answers"] = merged
    if sector is not None:
        data["sector"] = sector
    reports = [r for r in data["reports"] if r["id"] != remove_report]
    if add_report is not None and len(reports) < MAX_REPORTS:
        reports.append(add_report.as_dict())
    data["reports"] = reports
    connection.execute(CREATE if stored is None else WRITE, {"link": invitation_id, "new_data": data, "now": utcnow()})
    return data


def answer_problem(instrument: Instrument, code: str, value: str) -> str | None:
    """Why one answer cannot be stored, or None: the item must be a question of the
    instrument (not a controversy report field) and the value one of its options."""
    if code not in instrument.items:
        return _("This question is not part of the questionnaire. Nothing was saved.")
    if value not in VALID_CODES:
        return _("This answer is not one of the choices. Nothing was saved.")
    return None


def first_unanswered(data: dict, instrument: Instrument) -> tuple[str, str] | None:
    """(section code, item code) of the first question without an answer, in the order of
    the questionnaire; None when every question is answered."""
    answers = data.get("answers", {})
    for section in instrument.sections:
        for code in section.items:
            if answers.get(code) not in VALID_CODES:
                return section.code, code
    return None


def progress(data: dict, instrument: Instrument) -> tuple[int, int]:
    """(answered, total) items; 'don't know' counts as answered."""
    answers = data.get("answers", {})
    answered = sum(1 for code in instrument.items if answers.get(code) in VALID_CODES)
    return answered, len(instrument.items)


def unanswered(data: dict, instrument: Instrument, section: str) -> list[str]:
    answers = data.get("answers", {})
    return [code for code in instrument.section(section).items if answers.get(code) not in VALID_CODES]
