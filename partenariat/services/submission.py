"""Turning a draft into a submitted response, exactly once."""

from __future__ import annotations

import json
import os
import time

from sqlalchemy import JSON, Integer, bindparam, delete, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from partenariat.database import run_in_session
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


# On PostgreSQL the same work in two statements instead of four, since data-modifying
# statements may sit in a WITH there (not on SQLite): round trips are what a submission
# waits for under load (T2). They run on the driver's cursor (database.run_in_session):
# SQLAlchemy's execution of a statement was a sixth of a submission's work. The claim stays
# the one point that decides who wins: a link already submitted (or submitting) claims
# nothing and takes no draft.
CLAIM_AND_TAKE_PG = text("""
    WITH claimed AS (
        UPDATE invitation SET status = :submitted WHERE id = :invitation_id AND status != :submitted
        RETURNING id),
    taken AS (DELETE FROM draft WHERE invitation_id IN (SELECT id FROM claimed) RETURNING data)
    SELECT claimed.id, (SELECT data FROM taken) AS data FROM claimed
""").columns(id=Integer, data=JSON)
# The response and its answers; the answers come as one JSON object {item code: value}.
INSERT_RESPONSE_AND_ANSWERS_PG = text("""
    WITH new_response AS (
        INSERT INTO response (id, campaign_id, sector, lang, source)
        VALUES (:id, :campaign_id, :sector, :lang, :source))
    INSERT INTO answer (response_id, item_code, value)
    SELECT :id, item.key, item.value FROM json_each_text(CAST(:answers AS json)) AS item
""")


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
    click, a replay): the loser claims nothing. The draft is read as it is deleted (on
    PostgreSQL by the claim's own statement): on SectorMissing or AlreadySubmitted the
    caller must roll back, which keeps the draft.
    """
    connection = session.connection()
    on_postgresql = connection.dialect.name == "postgresql"
    if on_postgresql:
        claimed = run_in_session(session, CLAIM_AND_TAKE_PG, {"invitation_id": invitation.id,
                                                              "submitted": InvitationStatus.SUBMITTED.value})
        if claimed is None:
            raise AlreadySubmitted()
        _claimed_id, stored = claimed
    else:
        stored = connection.execute(TAKE_DRAFT, {"invitation_id": invitation.id}).scalar()
    data = {**drafts.empty(), **(stored or {})}
    sector = data.get("sector") or invitation.sector
    if not sector:
        if on_postgresql:
            raise SectorMissing()  # (the claim succeeded: the link was not submitted)
        # No draft left may mean that another request has just submitted this link.
        status = connection.execute(select(_invitation.c.status).where(_invitation.c.id == invitation.id)).scalar()
        raise AlreadySubmitted() if status == InvitationStatus.SUBMITTED else SectorMissing()
    if not on_postgresql and connection.execute(CLAIM, {"invitation_id": invitation.id}).rowcount != 1:
        raise AlreadySubmitted()
    _fault_injection_pause()
    response = {"id": new_response_id(), "campaign_id": invitation.campaign_id, "sector": sector, "lang": lang,
                "source": ResponseSource.LINK.value}
    answers = {code: value for code, value in data["answers"].items()
               if code in instrument.items and value in drafts.VALID_CODES}
    if on_postgresql:
        run_in_session(session, INSERT_RESPONSE_AND_ANSWERS_PG, {**response, "answers": json.dumps(answers)})
    else:
        connection.execute(INSERT_RESPONSE, response)
        if answers:
            connection.execute(INSERT_ANSWER, [{"response_id": response["id"], "item_code": code, "value": value}
                                               for code, value in answers.items()])
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
