from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timeline_entry import TimelineEntry
from partenariat.statuses import status_column
from partenariat.timeline.model import SETBACK_RTS, EventStatus, Kind

# The codes of the framework's twelve transitional results; the import checks them against
# the instrument, the database keeps a typo from being written by any other way.
RT_CODES = tuple(f"RT{n:02d}" for n in range(1, 13))


def _in(codes) -> str:
    return ", ".join(f"'{code}'" for code in codes)


RT_CHECK = f"rt IN ({_in(RT_CODES)})"
SETBACK_CHECK = f"kind = '{Kind.RESULT.value}' OR rt IN ({_in(SETBACK_RTS)})"


class Event(TimelineEntry, Base):
    """A significant event of a project, read as one transitional result (or a setback)."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("project_id", "ref", name="uq_event_project_ref"),
        CheckConstraint(RT_CHECK, name="rt_code"),
        CheckConstraint(SETBACK_CHECK, name="setback_only_on_rt09_to_rt12"),
    )

    actors: Mapped[str] = mapped_column(Text, default="")
    rt: Mapped[str] = mapped_column(String(4))
    kind: Mapped[Kind] = mapped_column(status_column(Kind, "kind"), default=Kind.RESULT)
    status: Mapped[EventStatus] = mapped_column(status_column(EventStatus, "status"), default=EventStatus.DONE)
    # An entry of the controversy register (RT03 events mostly); the event outlives it.
    controversy_id: Mapped[int | None] = mapped_column(ForeignKey("controversy.id", ondelete="SET NULL"), index=True)
