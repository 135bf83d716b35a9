from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from partenariat.database import Base
from partenariat.models.event import RT_CODES
from partenariat.models.retreat import Retreat
from partenariat.models.timestamps import utcnow
from partenariat.plan.model import ActionStatus, TargetKind
from partenariat.statuses import status_column

EXPECTED_RT_CHECK = "expected_rt IN ({})".format(", ".join(f"'{code}'" for code in RT_CODES))
DATES_CHECK = "start_on IS NULL OR due_on IS NULL OR start_on <= due_on"
# A controversy target names a register entry and no code; every other kind a code only.
TARGET_CHECK = (f"(kind = '{TargetKind.CONTROVERSY.value}' AND controversy_id IS NOT NULL AND code IS NULL) OR "
                f"(kind <> '{TargetKind.CONTROVERSY.value}' AND controversy_id IS NULL AND code IS NOT NULL)")


class Action(Base):
    """An action decided at a retreat (SPEC §9), followed up during the year.

    ``carried_from_id`` is the same action at the previous retreat when it was carried
    forward unfinished: the chain keeps its history. ``event_id`` is the timeline event it
    became once done (set to NULL if that event is removed by a timeline re-import).
    """

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint(EXPECTED_RT_CHECK, name="expected_rt_code"),
        CheckConstraint(DATES_CHECK, name="start_before_due"),
        # An action is carried into a retreat once.
        UniqueConstraint("retreat_id", "carried_from_id", name="uq_action_retreat_carried_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    retreat_id: Mapped[int] = mapped_column(ForeignKey("retreat.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    priority: Mapped[bool] = mapped_column(default=False)
    expected_rt: Mapped[str | None] = mapped_column(String(4))
    lead: Mapped[str] = mapped_column(String(300), default="")
    start_on: Mapped[date | None]
    due_on: Mapped[date | None]
    how_we_will_know: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(status_column(ActionStatus, "status"), default=ActionStatus.PLANNED)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # The campaign whose retreat recorded it, read with the row: what a page's loader checks
    # the action against (``access.belongs(action, "campaign_id", "campaign")``).
    campaign_id: Mapped[int] = column_property(
        select(Retreat.campaign_id).where(Retreat.id == retreat_id).correlate_except(Retreat).scalar_subquery())


class ActionTarget(Base):
    """One thing an action aims to move: an item, a dimension, an RT or a register entry."""

    __tablename__ = "action_target"
    __table_args__ = (CheckConstraint(TARGET_CHECK, name="code_or_controversy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TargetKind] = mapped_column(status_column(TargetKind, "kind"))
    code: Mapped[str | None] = mapped_column(String(20))
    controversy_id: Mapped[int | None] = mapped_column(ForeignKey("controversy.id", ondelete="CASCADE"), index=True)


class ActionNote(Base):
    """A dated note on an action; a status change always writes one, so the history stays."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date]
    # The status the action moved to with this note; NULL: the status did not change.
    status: Mapped[ActionStatus | None] = mapped_column(status_column(ActionStatus, "status"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
