from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow

STATUSES = ("draft", "open", "closed")


class Campaign(Base):
    """One yearly portrait (portrait annuel) of a partnership."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    k: Mapped[int] = mapped_column(default=3)
    instrument_version: Mapped[str] = mapped_column(String(20))
    # Comma-separated language codes offered to partners, e.g. "fr,en".
    languages: Mapped[str] = mapped_column(String(20), default="fr,en")
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    published: Mapped[bool] = mapped_column(default=False)
    shared_with_funders: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partnership: Mapped[Partnership] = relationship(back_populates="campaigns")  # noqa: F821

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    def availability(self, today: date) -> str:
        """'open', or why partners cannot answer now: 'not_open', 'closed', 'expired'."""
        if self.status == "closed":
            return "closed"
        if self.status != "open" or (self.opens_on and today < self.opens_on):
            return "not_open"
        if self.closes_on and today > self.closes_on:
            return "expired"
        return "open"
