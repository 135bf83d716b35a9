from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class ProposalLink(Base):
    """The one link through which partners propose events for a project before a workshop.

    One per project and shared by every partner who receives it, so a proposal cannot be
    told apart by its link. Only a hash of the token is kept; a new link replaces the old.
    """

    __tablename__ = "proposal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
