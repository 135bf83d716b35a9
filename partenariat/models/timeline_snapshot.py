from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class TimelineSnapshot(Base):
    """A project's timeline frozen at a moment (each retreat, say), so that two years can be
    compared. ``content`` is the JSON document of ``exports.timeline_json.as_dict`` (its
    ``schema_version`` included): plain data, readable whatever the tables become later."""

    __tablename__ = "timeline_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    content: Mapped[dict] = mapped_column(JSON)
