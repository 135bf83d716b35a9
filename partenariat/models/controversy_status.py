from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base


class ControversyStatus(Base):
    """Where a controversy stood at one campaign: one status per campaign (its history)."""

    __tablename__ = "controversy_status"

    controversy_id: Mapped[int] = mapped_column(ForeignKey("controversy.id"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))

    controversy: Mapped[Controversy] = relationship(back_populates="history")  # noqa: F821
