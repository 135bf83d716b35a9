from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class Partnership(Base):
    """A Table de quartier or a local / regional concertation."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaigns: Mapped[list[Campaign]] = relationship(  # noqa: F821
        back_populates="partnership", order_by="Campaign.year"
    )
