"""The states things go through, as types, each with the one label table used for display.

Every status is a ``StrEnum`` stored as its value and checked by a database CHECK
constraint (see ``status_column``), so that a typo can neither be written nor compared
against. Labels live here and nowhere else; templates call ``label(value)``.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum

# The plan's statuses live with its pure rules; they are labelled here like every other.
from partenariat.plan.model import ActionStatus, RetreatMethod, TargetKind


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # being prepared: links do not answer yet
    OPEN = "open"  # partners answer
    CLOSED = "closed"  # answers are no longer accepted


class InvitationStatus(StrEnum):
    INVITED = "invited"
    STARTED = "started"  # a draft exists
    SUBMITTED = "submitted"  # only *that* it submitted is kept, never which response


class ResponseSource(StrEnum):
    LINK = "web"  # sent by a partner through a personal link
    ENTERED = "import"  # entered by the coordination from paper or a file


class ReviewStatus(StrEnum):
    """A partner's controversy report, as the coordinator handles it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DISMISSED = "dismissed"


__all__ = ["ActionStatus", "CampaignStatus", "IllegalTransition", "InvitationStatus", "LABELS", "ResponseSource",
           "RetreatMethod", "ReviewStatus", "TargetKind", "label", "status_column"]


class IllegalTransition(ValueError):
    """A change of state the rules do not allow; the message is for the user."""


LABELS = {
    CampaignStatus.DRAFT: _l("draft"),
    CampaignStatus.OPEN: _l("open"),
    CampaignStatus.CLOSED: _l("closed"),
    InvitationStatus.INVITED: _l("not started"),
    InvitationStatus.STARTED: _l("started"),
    InvitationStatus.SUBMITTED: _l("sent"),
    ResponseSource.LINK: _l("sent through a link"),
    ResponseSource.ENTERED: _l("entered from paper or a file"),
    ReviewStatus.PENDING: _l("waiting for review"),
    ReviewStatus.ACCEPTED: _l("added to the register"),
    ReviewStatus.MERGED: _l("merged into an entry"),
    ReviewStatus.DISMISSED: _l("set aside"),
    ActionStatus.PLANNED: _l("planned, not started"),
    ActionStatus.UNDER_WAY: _l("under way"),
    ActionStatus.DONE: _l("done"),
    ActionStatus.POSTPONED: _l("postponed"),
    ActionStatus.DROPPED: _l("dropped"),
    RetreatMethod.CONSENSUS: _l("the group answers together and reaches a collective diagnosis"),
    RetreatMethod.INDIVIDUAL_THEN_GROUP: _l("each partner answers, then the group discusses"),
    RetreatMethod.COMPILED: _l("the answers are compiled, then discussed"),
    TargetKind.ITEM: _l("question"),
    TargetKind.DIMENSION: _l("dimension"),
    TargetKind.RT: _l("transitional result"),
    TargetKind.CONTROVERSY: _l("controversy"),
}


def label(value) -> str:
    return str(LABELS[value])


def status_column(enum: type[StrEnum], name: str) -> Enum:
    """A VARCHAR holding the enum's values, with a CHECK constraint named after ``name``."""
    return Enum(enum, name=name, native_enum=False, create_constraint=True, validate_strings=True,
                length=max(len(member.value) for member in enum),
                values_callable=lambda members: [member.value for member in members])
