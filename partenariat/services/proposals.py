"""Partners' event proposals for a project (issue 13): before a workshop, the coordinator
hands out the project's proposal link; whoever holds it proposes events (date, title,
description, RT if they know it); the coordinator accepts one (it becomes an event of the
timeline), merges it into an existing event (its text is appended), or sets it aside.

The link is one per project, shared by every partner who receives it, and a proposal keeps
nothing of who sent it or when (``models.EventProposal``). Tokens are hashed and wrong links
count against the same per-address limit as the personal links (``invitation.count_miss``).
Only adds and flushes.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from partenariat.models import Effect, Event, EventProposal, Project, ProposalLink
from partenariat.models.event import RT_CODES
from partenariat.models.timeline_entry import REF_LENGTH
from partenariat.services.invitation import base_url, count_miss, plausible
from partenariat.statuses import ReviewStatus
from partenariat.timeline.model import EventStatus, Kind, PartialDate
from partenariat.tokens import hash_token, new_token
from partenariat.validation import single_line_problem

log = logging.getLogger(__name__)

TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 4000
# Proposals waiting at most, per project: the link is shared and needs no account, so
# whoever holds it (or a forwarded copy) could otherwise fill the database and bury the
# coordinator's list under thousands of 4000-character texts. A workshop gets a few dozen.
PENDING_CAP = 200


class ProposalError(ValueError):
    """A review the rules refuse; the message is for the coordinator."""


def proposal_url(token: str) -> str:
    return f"{base_url()}/p/{token}"


def has_link(session: Session, project_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(ProposalLink)
                          .where(ProposalLink.project_id == project_id)) > 0


def new_link(session: Session, project: Project) -> str:
    """A new proposal link for the project (the clear token, to show once); the old link,
    if any, stops working."""
    token = new_token()
    link = session.scalar(select(ProposalLink).where(ProposalLink.project_id == project.id))
    if link is None:
        session.add(ProposalLink(project_id=project.id, token_hash=hash_token(token)))
    else:
        link.token_hash = hash_token(token)
    session.flush()
    return token


def close_link(session: Session, project: Project) -> None:
    session.execute(delete(ProposalLink).where(ProposalLink.project_id == project.id))
    session.flush()


def project_for_token(session: Session, token: str, ip: str) -> Project | None:
    """The project whose proposal link this is; None (a miss counted for ``ip``) otherwise.
    Raises invitation.TooManyGuesses past the limit of wrong links."""
    link = None
    if plausible(token):
        digest = hash_token(token)
        link = session.scalar(select(ProposalLink).where(ProposalLink.token_hash == digest))
        if link is not None and not hmac.compare_digest(link.token_hash, digest):
            link = None
    if link is None:
        count_miss(session, ip)
        return None
    return session.get(Project, link.project_id)


@dataclass(frozen=True)
class Proposed:
    date: PartialDate
    title: str
    description: str = ""
    rt: str | None = None


def propose(session: Session, project: Project, proposed: Proposed) -> EventProposal:
    """Store a partner's proposal (checked by the form: title and lengths, a real date, a
    known RT or none). ProposalError when PENDING_CAP proposals already wait."""
    if proposed.rt is not None and proposed.rt not in RT_CODES:
        raise ValueError(f"unknown RT {proposed.rt!r}")
    waiting = session.scalar(select(func.count()).select_from(EventProposal).where(
        EventProposal.project_id == project.id, EventProposal.review_status == ReviewStatus.PENDING))
    if waiting >= PENDING_CAP:
        log.warning("project %s: proposal refused, %s already wait for the coordinator", project.id, waiting)
        raise ProposalError(_("The coordination has many proposals waiting to be read: yours is not sent. Please "
                              "send it again after they have been read, or tell the coordination directly."))
    proposal = EventProposal(project_id=project.id, date=proposed.date.first_day,
                             date_precision=proposed.date.precision, title=proposed.title.strip(),
                             description=proposed.description.strip(), rt=proposed.rt)
    session.add(proposal)
    session.flush()
    return proposal


def date_of(proposal: EventProposal) -> PartialDate:
    return PartialDate.from_parts(proposal.date, proposal.date_precision)


def pending(session: Session, project_id: int) -> list[EventProposal]:
    """Proposals waiting for the coordinator, by the date of what they tell (their random ids
    keep the order they came in hidden)."""
    return list(session.scalars(select(EventProposal).where(
        EventProposal.project_id == project_id, EventProposal.review_status == ReviewStatus.PENDING)
        .order_by(EventProposal.date, EventProposal.title)))


def handled_counts(session: Session, project_id: int) -> dict[ReviewStatus, int]:
    rows = session.execute(select(EventProposal.review_status, func.count()).where(
        EventProposal.project_id == project_id).group_by(EventProposal.review_status)).all()
    return {ReviewStatus(status): n for status, n in rows}


def events(session: Session, project_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.project_id == project_id).order_by(Event.date, Event.ref)))


def suggested_ref(session: Session, project_id: int) -> str:
    """The first of P1, P2, … that no event or effect of the project uses."""
    used = _refs(session, project_id)
    number = 1
    while f"P{number}" in used:
        number += 1
    return f"P{number}"


def _refs(session: Session, project_id: int) -> set[str]:
    return {*session.scalars(select(Event.ref).where(Event.project_id == project_id)),
            *session.scalars(select(Effect.ref).where(Effect.project_id == project_id))}


def _pending_only(proposal: EventProposal) -> None:
    if proposal.review_status != ReviewStatus.PENDING:
        raise ProposalError(_("This proposal was already handled."))


def accept(session: Session, proposal: EventProposal, ref: str, rt: str) -> Event:
    """The proposal becomes a realised result of the timeline, under ``ref`` and on ``rt``."""
    _pending_only(proposal)
    ref = ref.strip()
    if not ref or len(ref) > REF_LENGTH:
        raise ProposalError(_("Give the event a ref of 1 to %(n)s characters.", n=REF_LENGTH))
    if ";" in ref or single_line_problem(ref):
        # ";" separates the refs of leads_to in the timeline's export: the file would not re-import.
        raise ProposalError(_("A ref is one line without “;” (it separates refs in the timeline's file)."))
    if ref in _refs(session, proposal.project_id):
        raise ProposalError(_("The ref %(ref)s is already used in this project; choose another.", ref=ref))
    if rt not in RT_CODES:
        raise ProposalError(_("Choose the transitional result of this event."))
    event = Event(project_id=proposal.project_id, ref=ref, date=proposal.date, date_precision=proposal.date_precision,
                  title=proposal.title, description=proposal.description, rt=rt, kind=Kind.RESULT,
                  status=EventStatus.DONE)
    session.add(event)
    session.flush()
    proposal.review_status, proposal.event_id = ReviewStatus.ACCEPTED, event.id
    session.flush()
    log.info("proposal accepted as event %s of project %s", event.id, proposal.project_id)
    return event


def merge(session: Session, proposal: EventProposal, event: Event | None) -> Event:
    """Append the proposal's title and description to ``event``'s description."""
    _pending_only(proposal)
    if event is None or event.project_id != proposal.project_id:
        raise ProposalError(_("Choose the event of this project to merge the proposal into."))
    added = proposal.title + (f" — {proposal.description}" if proposal.description else "")
    event.description = f"{event.description}\n\n{added}" if event.description else added
    proposal.review_status, proposal.event_id = ReviewStatus.MERGED, event.id
    session.flush()
    return event


def dismiss(session: Session, proposal: EventProposal) -> None:
    _pending_only(proposal)
    proposal.review_status = ReviewStatus.DISMISSED
    session.flush()
