"""Database models, one per module; importing this package registers them all."""

from partenariat.models.action import Action, ActionNote, ActionTarget
from partenariat.models.answer import Answer
from partenariat.models.audit_entry import AuditEntry
from partenariat.models.campaign import Campaign
from partenariat.models.controversy import Controversy
from partenariat.models.controversy_report import ControversyReport
from partenariat.models.controversy_status import ControversyStatus
from partenariat.models.draft import Draft
from partenariat.models.effect import Effect
from partenariat.models.event import Event
from partenariat.models.event_link import EventLink
from partenariat.models.invitation import Invitation
from partenariat.models.login_attempt import LoginAttempt
from partenariat.models.partnership import Partnership
from partenariat.models.partnership_access import PartnershipAccess
from partenariat.models.project import Project
from partenariat.models.release import Release
from partenariat.models.response import Response
from partenariat.models.retreat import Reading, Retreat
from partenariat.models.token_miss import TokenMiss
from partenariat.models.user import User

__all__ = [
    "Answer",
    "AuditEntry",
    "Campaign",
    "Controversy",
    "ControversyReport",
    "ControversyStatus",
    "Draft",
    "Effect",
    "Event",
    "EventLink",
    "Invitation",
    "LoginAttempt",
    "Partnership",
    "PartnershipAccess",
    "Project",
    "Release",
    "Response",
    "TokenMiss",
    "User",
    "Retreat",
    "Reading",
    "Action",
    "ActionTarget",
    "ActionNote",
]
