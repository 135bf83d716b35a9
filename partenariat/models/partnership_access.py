from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base


class PartnershipAccess(Base):
    """Which partnerships an account works with: a coordinator's own, a funder's funded ones."""

    __tablename__ = "partnership_access"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), primary_key=True)
