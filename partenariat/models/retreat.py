from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow
from partenariat.plan.model import RetreatMethod
from partenariat.statuses import status_column


class Retreat(Base):
    """The retreat of one campaign (SPEC §9): how it was held, who took part, what it decided.

    It reads one release — the latest when it was opened — and keeps that number, so that
    next year's movement starts from the numbers the group actually discussed. Participants
    are organisations, never answers.
    """

    __tablename__ = "retreat"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), unique=True)
    release_number: Mapped[int]
    held_on: Mapped[date | None]
    method: Mapped[RetreatMethod] = mapped_column(status_column(RetreatMethod, "method"),
                                                  default=RetreatMethod.COMPILED)
    participants: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Reading(Base):
    """The group's collective reading of one discussion point of the retreat.

    Kept apart from responses on purpose: it is never counted as a response and never enters
    a score; the portrait shows it beside the individual distribution.
    """

    __tablename__ = "reading"
    __table_args__ = (
        UniqueConstraint("retreat_id", "position", name="uq_reading_retreat_position"),
        CheckConstraint("consensus IN ('A', 'B', 'C')", name="consensus_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    retreat_id: Mapped[int] = mapped_column(ForeignKey("retreat.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    dimension: Mapped[str] = mapped_column(String(20))
    # The point's item codes, space-separated, in agenda order ("C04 C05").
    items: Mapped[str] = mapped_column(String(200))
    consensus: Mapped[str | None] = mapped_column(String(1))
    reasons: Mapped[str] = mapped_column(Text, default="")
    dissent: Mapped[str] = mapped_column(Text, default="")
    to_work_on: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.items.split())
