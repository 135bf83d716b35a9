"""Response tracking for the coordinator: statuses and counts only, never who answered what.

No sector counts here: counted live, they would tell the sector of each response as it
arrives. The sector breakdown lives in the portrait, from a release (docs/privacy.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Invitation, Response
from partenariat.statuses import InvitationStatus, ResponseSource


@dataclass(frozen=True)
class Progress:
    invited: int
    started: int
    submitted_links: int
    imported: int

    @property
    def rate(self) -> float | None:
        return self.submitted_links / self.invited if self.invited else None


def progress(session: Session, campaign: Campaign) -> Progress:
    statuses = Counter(dict(session.execute(
        select(Invitation.status, func.count()).where(Invitation.campaign_id == campaign.id).group_by(Invitation.status)
    ).all()))
    imported = session.scalar(select(func.count()).select_from(Response).where(
        Response.campaign_id == campaign.id, Response.source == ResponseSource.ENTERED)) or 0
    return Progress(
        invited=sum(statuses.values()),
        started=statuses.get(InvitationStatus.STARTED, 0),
        submitted_links=statuses.get(InvitationStatus.SUBMITTED, 0),
        imported=imported,
    )
