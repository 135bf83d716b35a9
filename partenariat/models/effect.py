from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.event import REF_LENGTH
from partenariat.models.timestamps import utcnow
from partenariat.statuses import status_column
from partenariat.timeline.model import Precision


class Effect(Base):
    """A concrete transformation of living environments observed at the end of a chain.

    Its ref is unique in the project and shares one namespace with the events' refs; the
    service checks the latter, a constraint cannot span two tables.
    """

    __tablename__ = "effect"
    __table_args__ = (UniqueConstraint("project_id", "ref", name="uq_effect_project_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(REF_LENGTH))
    date: Mapped[date]
    date_precision: Mapped[Precision] = mapped_column(status_column(Precision, "date_precision"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
