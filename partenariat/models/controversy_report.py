from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.statuses import ReviewStatus, status_column


class ControversyReport(Base):
    """A controversy a partner reported in their form, waiting for the coordinator.

    Free text (title, description) never leaves the coordinator's views. No timestamp:
    it would match the invitation's submission time and undo the pseudonymity.
    """

    __tablename__ = "controversy_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    response_id: Mapped[str | None] = mapped_column(ForeignKey("response.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(20))
    means: Mapped[list] = mapped_column(JSON, default=list)
    effect: Mapped[str | None] = mapped_column(String(20))
    # pending until the coordinator adds it to the register, merges it or sets it aside.
    review_status: Mapped[ReviewStatus] = mapped_column(status_column(ReviewStatus, "review_status"),
                                                        default=ReviewStatus.PENDING)
    controversy_id: Mapped[int | None] = mapped_column(ForeignKey("controversy.id"), index=True)
