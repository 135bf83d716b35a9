from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class Controversy(Base):
    """An entry of a partnership's controversy register; it lasts across years."""

    __tablename__ = "controversy"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str | None] = mapped_column(String(20))
    means: Mapped[list] = mapped_column(JSON, default=list)
    effect: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    history: Mapped[list[ControversyStatus]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", back_populates="controversy"
    )
