from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class TokenMiss(Base):
    """A personal link that matched no invitation; counted per IP to slow down guessing."""

    __tablename__ = "token_miss"

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
