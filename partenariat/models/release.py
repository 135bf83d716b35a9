from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partenariat.database import Base
from partenariat.models.timestamps import utcnow


class Release(Base):
    """A frozen set of a campaign's counted responses: every result is computed from one.

    Release n counts every response whose ``release_number`` is at most n; responses sent
    since the last release wait (``release_number`` NULL). ``groups`` keeps the sector
    breakdown decided when the release was made: ``{"shown": bool, "tallies": {sector:
    [link, entered]}, "hidden": {sector: reason}}``.
    """

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("campaign_id", "number", name="campaign_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    number: Mapped[int]
    n_link: Mapped[int]
    n_entered: Mapped[int]
    final: Mapped[bool] = mapped_column(default=False)
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    groups: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def n(self) -> int:
        return self.n_link + self.n_entered
