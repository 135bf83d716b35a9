from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partenariat.database import Base
from partenariat.models.timestamps import utcnow
from partenariat.statuses import InvitationStatus, status_column


class Invitation(Base):
    """A partner's personal link. Only a hash of the token is kept.

    After submission the invitation only records *that* it submitted: nothing links it
    to the response (docs/privacy.md).
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    sector: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[InvitationStatus] = mapped_column(status_column(InvitationStatus, "status"),
                                                     default=InvitationStatus.INVITED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship()  # noqa: F821

    @property
    def has_submitted(self) -> bool:
        return self.status == InvitationStatus.SUBMITTED

    def mark_started(self) -> None:
        """A draft now exists; a link that has submitted stays submitted."""
        if self.status == InvitationStatus.INVITED:
            self.status = InvitationStatus.STARTED
