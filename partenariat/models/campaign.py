from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow
from partenariat.statuses import CampaignStatus, IllegalTransition, status_column

# Which status each status may be reached from: opened from a draft (or reopened once
# closed), closed once open.
TRANSITIONS = {
    CampaignStatus.OPEN: (CampaignStatus.DRAFT, CampaignStatus.CLOSED),
    CampaignStatus.CLOSED: (CampaignStatus.OPEN,),
}


class Campaign(Base):
    """One yearly portrait (portrait annuel) of a partnership."""

    __tablename__ = "campaign"
    # k below 3 would let two partners read each other's answers (docs/privacy.md).
    __table_args__ = (CheckConstraint("k >= 3", name="k_at_least_3"),
                      CheckConstraint("focus BETWEEN 1 AND 12", name="focus_between_1_and_12"))

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[CampaignStatus] = mapped_column(status_column(CampaignStatus, "status"),
                                                   default=CampaignStatus.DRAFT)
    k: Mapped[int] = mapped_column(default=3)
    # How many discussion points the retreat pack and the portrait focus on (1–12).
    focus: Mapped[int] = mapped_column(default=6, server_default="6")
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

    def change_status(self, status: CampaignStatus) -> None:
        from flask_babel import gettext as _

        from partenariat.statuses import label

        if self.status not in TRANSITIONS.get(status, ()):
            raise IllegalTransition(_("This campaign cannot go from %(old)s to %(new)s.",
                                      old=label(self.status), new=label(status)))
        self.status = status

    def availability(self, today: date) -> str:
        """'open', or why partners cannot answer now: 'not_open', 'closed', 'expired'."""
        if self.status == CampaignStatus.CLOSED:
            return "closed"
        if self.status != CampaignStatus.OPEN or (self.opens_on and today < self.opens_on):
            return "not_open"
        if self.closes_on and today > self.closes_on:
            return "expired"
        return "open"
