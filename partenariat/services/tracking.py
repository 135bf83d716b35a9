"""Response tracking for the coordinator: counts only, never who answered what."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Invitation, Response
from partenariat.statuses import InvitationStatus, ResponseSource


@dataclass(frozen=True)
class SectorProgress:
    sector: str | None  # None: sectors merged because they are below k
    submitted: int


@dataclass(frozen=True)
class Progress:
    invited: int
    started: int
    submitted_links: int
    submitted: int  # responses, web and imported
    imported: int
    sectors: list[SectorProgress]

    @property
    def rate(self) -> float | None:
        return self.submitted_links / self.invited if self.invited else None


def progress(session: Session, campaign: Campaign, sector_order) -> Progress:
    statuses = Counter(dict(session.execute(
        select(Invitation.status, func.count()).where(Invitation.campaign_id == campaign.id).group_by(Invitation.status)
    ).all()))
    by_sector = dict(session.execute(
        select(Response.sector, func.count()).where(Response.campaign_id == campaign.id).group_by(Response.sector)
    ).all())
    imported = session.scalar(select(func.count()).select_from(Response).where(
        Response.campaign_id == campaign.id, Response.source == ResponseSource.ENTERED)) or 0
    # A sector is named only with at least k responses; smaller ones are merged into one line
    # (its size follows from the total anyway, but no small sector is named).
    shown = [SectorProgress(s, by_sector[s]) for s in sector_order if by_sector.get(s, 0) >= campaign.k]
    rest = sum(n for s, n in by_sector.items() if n < campaign.k)
    if rest:
        shown.append(SectorProgress(None, rest))
    return Progress(
        invited=sum(statuses.values()),
        started=statuses.get(InvitationStatus.STARTED, 0),
        submitted_links=statuses.get(InvitationStatus.SUBMITTED, 0),
        submitted=sum(by_sector.values()),
        imported=imported,
        sectors=shown if sum(by_sector.values()) >= campaign.k else [],
    )
