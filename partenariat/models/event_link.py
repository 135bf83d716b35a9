from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow

ONE_TARGET_CHECK = "(target_event_id IS NULL) <> (target_effect_id IS NULL)"


class EventLink(Base):
    """"Led to": from an event to exactly one event or effect of the same project.

    ``project_id`` is repeated here so that a project's whole graph is read in one query.
    That the graph has no cycle cannot be a constraint: the service checks it with
    ``partenariat.timeline.graph`` before writing.
    """

    __tablename__ = "event_link"
    __table_args__ = (
        UniqueConstraint("source_event_id", "target_event_id", name="uq_event_link_source_target_event"),
        UniqueConstraint("source_event_id", "target_effect_id", name="uq_event_link_source_target_effect"),
        CheckConstraint(ONE_TARGET_CHECK, name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    source_event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    target_event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    target_effect_id: Mapped[int | None] = mapped_column(ForeignKey("effect.id", ondelete="CASCADE"), index=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
