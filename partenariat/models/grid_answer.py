from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow

MOMENT_CHECK = "moment IN ('back', 'forward')"


class GridAnswer(Base):
    """The partnership's answer to one question of the grid for one project, at one moment
    (looking back or forward): the lesson drawn and the avenue for action it opens.

    ``question_code`` is the grid file's code (``G01``, ``RT05_2``…): codes stay stable when
    the wording changes, so answers keep their question.
    """

    __tablename__ = "grid_answer"
    __table_args__ = (
        UniqueConstraint("project_id", "question_code", "moment", name="uq_grid_answer_project_question_moment"),
        CheckConstraint(MOMENT_CHECK, name="moment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    question_code: Mapped[str] = mapped_column(String(20))
    moment: Mapped[str] = mapped_column(String(7))
    lesson: Mapped[str] = mapped_column(Text, default="")
    avenue: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
