"""The partner's draft: answers saved on the server against the invitation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from partenariat.models import Draft, Invitation
from questionnaires import ANSWER_CODES, MISSING_CODE, Instrument

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


def read(session: Session, invitation: Invitation) -> dict:
    draft = session.get(Draft, invitation.id)
    data = empty()
    if draft is not None:
        data.update(draft.data)
    return data


def update(
    session: Session,
    invitation: Invitation,
    *,
    answers: dict[str, str | None] | None = None,
    sector: str | None = None,
    add_report: ReportInput | None = None,
    remove_report: str | None = None,
) -> dict:
    """Merge changes into the draft (flushed; the request commits).

    ``answers`` maps item codes to a code, or None to clear an answer. Callers validate
    values first; anything else is ignored rather than stored.
    """
    draft = session.get(Draft, invitation.id)
    if draft is None:
        draft = Draft(invitation_id=invitation.id, data=empty())
        session.add(draft)
    data = {**empty(), **draft.data}
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
    # A new dict, so the JSON column is seen as changed.
    draft.data = data
    invitation.mark_started()
    session.flush()
    return data


def progress(data: dict, instrument: Instrument) -> tuple[int, int]:
    """(answered, total) items; 'don't know' counts as answered."""
    answers = data.get("answers", {})
    answered = sum(1 for code in instrument.items if answers.get(code) in VALID_CODES)
    return answered, len(instrument.items)


def unanswered(data: dict, instrument: Instrument, section: str) -> list[str]:
    answers = data.get("answers", {})
    return [code for code in instrument.section(section).items if answers.get(code) not in VALID_CODES]
