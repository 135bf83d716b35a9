from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.response import new_response_id
from partenariat.statuses import ReviewStatus, status_column


class ControversyReport(Base):
    """A controversy a partner reported in their form, waiting for the coordinator.

    Free text (title, description) never leaves the coordinator's views. Nothing ties it to
    its author: no response, no timestamp (it would match the invitation's change to
    "sent"), and a random id, so that neither a sequence nor (on SQLite, which stores the
    table in id order) the physical order tells which report came with which submission.
    It reaches the coordinator only with a release (``release_number``).
    """

    __tablename__ = "controversy_report"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    # The release that brought it to the coordinator; NULL while its response waits.
    release_number: Mapped[int | None]
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
