from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow

STATUSES = ("invited", "started", "submitted")


class Invitation(Base):
    """A partner's personal link. Only a hash of the token is kept.

    After submission the invitation only records *that* it submitted: nothing links it
    to the response (SPEC §5).
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    sector: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default="invited")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()  # noqa: F821
