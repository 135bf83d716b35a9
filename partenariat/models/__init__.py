"""Database models, one per module; importing this package registers them all."""

from partenariat.models.answer import Answer
from partenariat.models.campaign import Campaign
from partenariat.models.controversy_report import ControversyReport
from partenariat.models.draft import Draft
from partenariat.models.invitation import Invitation
from partenariat.models.partnership import Partnership
from partenariat.models.response import Response

__all__ = [
    "Answer",
    "Campaign",
    "ControversyReport",
    "Draft",
    "Invitation",
    "Partnership",
    "Response",
]
