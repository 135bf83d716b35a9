from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.event import RT_CHECK
from partenariat.models.response import new_response_id
from partenariat.statuses import ReviewStatus, status_column
from partenariat.timeline.model import Precision


class EventProposal(Base):
    """An event a partner proposed through the project's proposal link, waiting for the
    coordinator to accept it (it becomes an event), merge it into an event, or set it aside.

    Nothing says who proposed it or when: no link to a token, no timestamp, and a random id
    (on SQLite the table is stored in id order), like the partners' controversy reports.
    ``event_id`` is the event it became or was merged into.
    """

    __tablename__ = "event_proposal"
    __table_args__ = (CheckConstraint(f"rt IS NULL OR {RT_CHECK}", name="rt_code"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]
    date_precision: Mapped[Precision] = mapped_column(status_column(Precision, "date_precision"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    rt: Mapped[str | None] = mapped_column(String(4))
    review_status: Mapped[ReviewStatus] = mapped_column(status_column(ReviewStatus, "review_status"),
                                                        default=ReviewStatus.PENDING)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
