from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow
from partenariat.statuses import status_column
from partenariat.timeline.model import Precision


class Project(Base):
    """A project of a partnership, told as a timeline of significant events (SPEC §8).

    The title is unique in the partnership: the command line names the project by it.
    Dates are stored as their first day and their precision (docs/timeline.md).
    """

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("partnership_id", "title", name="uq_project_partnership_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None]
    start_precision: Mapped[Precision | None] = mapped_column(status_column(Precision, "start_precision"))
    end_date: Mapped[date | None]
    end_precision: Mapped[Precision | None] = mapped_column(status_column(Precision, "end_precision"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
