from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class Draft(Base):
    """Answers in progress, kept on the server against the invitation.

    ``data`` is ``{"sector": str|None, "answers": {code: A/B/C/NSP}, "reports": [...]}``;
    it is deleted in the same transaction that stores the submitted response.
    """

    __tablename__ = "draft"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
