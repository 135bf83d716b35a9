from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from partenariat.models.timestamps import utcnow
from partenariat.statuses import status_column
from partenariat.timeline.model import Precision

REF_LENGTH = 100


class TimelineEntry:
    """What events and effects share: a dated, titled place in one project's timeline, with
    its ref (the label the import file uses, unique in the project)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(REF_LENGTH))
    date: Mapped[date]
    date_precision: Mapped[Precision] = mapped_column(status_column(Precision, "date_precision"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr
    def project_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
