"""Turning a draft into a submitted response, exactly once."""

from __future__ import annotations

import os
import time

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from partenariat.models import Answer, ControversyReport, Draft, Invitation, Response
from partenariat.models.response import new_response_id
from partenariat.services import draft as drafts
from partenariat.statuses import InvitationStatus, ResponseSource
from questionnaires import Instrument

# The submission's statements, built once: table-level (Core) statements run on the
# session's connection. This is the hot path under load, and none of these rows needs the
# ORM's bookkeeping.
_invitation = Invitation.__table__
CLAIM = (update(_invitation)
         .where(_invitation.c.id == bindparam("invitation_id"), _invitation.c.status != InvitationStatus.SUBMITTED.value)
         .values(status=InvitationStatus.SUBMITTED.value))
INSERT_RESPONSE = insert(Response.__table__)
INSERT_ANSWER = insert(Answer.__table__)
# The draft is read as it is deleted: one statement instead of a SELECT and a DELETE.
TAKE_DRAFT = (delete(Draft.__table__).where(Draft.__table__.c.invitation_id == bindparam("invitation_id"))
              .returning(Draft.__table__.c.data))


def _fault_injection_pause() -> None:
    """For the crash test only: while the file named by PARTENARIAT_FAULT_PAUSE_FILE exists,
    wait here, inside the open transaction, so that the test can kill the worker mid-way;
    a file "<name>.reached" tells the test that the request got here. Unset in every real
    deployment; costs one environment lookup."""
    marker = os.environ.get("PARTENARIAT_FAULT_PAUSE_FILE")
    if marker and os.path.exists(marker):
        with open(marker + ".reached", "w"):
            pass
    while marker and os.path.exists(marker):
        time.sleep(0.05)


class AlreadySubmitted(Exception):
    pass


class SectorMissing(Exception):
    pass


def submit(session: Session, invitation: Invitation, instrument: Instrument, lang: str) -> None:
    """Store the draft as a response, mark the invitation submitted, delete the draft.

    One transaction, committed by the request. The conditional UPDATE is the single point
    that decides who wins when the same link submits twice at once (two tabs, a double
    click, a replay): the loser sees rowcount 0. The draft is deleted first (and read by
    the same statement): on SectorMissing or AlreadySubmitted the caller must roll back.
    """
    connection = session.connection()
    data = {**drafts.empty(), **(connection.execute(TAKE_DRAFT, {"invitation_id": invitation.id}).scalar() or {})}
    sector = data.get("sector") or invitation.sector
    if not sector:
        # No draft left may mean that another request has just submitted this link.
        status = connection.execute(select(_invitation.c.status).where(_invitation.c.id == invitation.id)).scalar()
        raise AlreadySubmitted() if status == InvitationStatus.SUBMITTED else SectorMissing()
    claimed = connection.execute(CLAIM, {"invitation_id": invitation.id})
    if claimed.rowcount != 1:
        raise AlreadySubmitted()
    _fault_injection_pause()
    response_id = new_response_id()
    connection.execute(INSERT_RESPONSE, {"id": response_id, "campaign_id": invitation.campaign_id,
                                         "sector": sector, "lang": lang, "source": ResponseSource.LINK.value})
    answers = [{"response_id": response_id, "item_code": code, "value": value}
               for code, value in data["answers"].items()
               if code in instrument.items and value in drafts.VALID_CODES]
    if answers:
        connection.execute(INSERT_ANSWER, answers)
    # The reports keep nothing of their response (docs/privacy.md): they wait for the next
    # release, which brings them to the coordinator with at least k responses.
    for report in data["reports"]:
        session.add(
            ControversyReport(
                campaign_id=invitation.campaign_id,
                title=report["title"],
                description=report["description"],
                nature=report["nature"],
                status=report["status"],
                means=report["means"],
                effect=report["effect"],
            )
        )
    # The Core UPDATE bypassed the ORM: keep the loaded object in step with the row, as
    # already stored (a plain assignment would send the same UPDATE again at commit).
    set_committed_value(invitation, "status", InvitationStatus.SUBMITTED)
