"""The controversy register: entries, their status per campaign, and partners' reports."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Controversy, ControversyReport, ControversyStatus
from partenariat.statuses import ReviewStatus


class RegisterError(ValueError):
    pass


@dataclass(frozen=True)
class Fields:
    title: str
    description: str
    nature: str | None
    means: list[str]
    effect: str | None


def entries(session: Session, partnership_id: int) -> list[Controversy]:
    return list(session.scalars(
        select(Controversy).where(Controversy.partnership_id == partnership_id).order_by(Controversy.id)))


def pending_reports(session: Session, partnership_id: int) -> list[ControversyReport]:
    """Partners' reports that a release brought, not yet handled; ordered by their random
    ids, which says nothing about who wrote them or when."""
    return list(session.scalars(
        select(ControversyReport).join(Campaign, Campaign.id == ControversyReport.campaign_id)
        .where(Campaign.partnership_id == partnership_id, ControversyReport.review_status == ReviewStatus.PENDING,
               ControversyReport.release_number.is_not(None))
        .order_by(ControversyReport.id)))


def add(session: Session, partnership_id: int, fields: Fields) -> Controversy:
    if not fields.title.strip():
        raise RegisterError(_("Give the controversy a short title so that it can be recognised."))
    controversy = Controversy(partnership_id=partnership_id, title=fields.title.strip(), description=fields.description,
                              nature=fields.nature, means=list(fields.means), effect=fields.effect)
    session.add(controversy)
    session.flush()
    return controversy


def update(session: Session, controversy: Controversy, fields: Fields, statuses: dict[int, str | None]) -> None:
    """Change an entry and its status for each campaign (None removes that campaign's status)."""
    if not fields.title.strip():
        raise RegisterError(_("Give the controversy a short title so that it can be recognised."))
    controversy.title, controversy.description = fields.title.strip(), fields.description
    controversy.nature, controversy.means, controversy.effect = fields.nature, list(fields.means), fields.effect
    current = {s.campaign_id: s for s in controversy.history}
    for campaign_id, status in statuses.items():
        if status:
            if campaign_id in current:
                current[campaign_id].status = status
            else:
                controversy.history.append(ControversyStatus(campaign_id=campaign_id, status=status))
        elif campaign_id in current:
            controversy.history.remove(current[campaign_id])
    session.flush()


def review(session: Session, report: ControversyReport, action: str, target: Controversy | None = None) -> Controversy | None:
    """Accept a report as a new entry, merge it into ``target``, or set it aside.

    An accepted or merged report also records its status for the campaign it came from, so
    that the entry's history starts where the partner saw it.
    """
    if report.review_status != ReviewStatus.PENDING:
        raise RegisterError(_("This report was already handled."))
    campaign = session.get(Campaign, report.campaign_id)
    if action == "dismiss":
        report.review_status = ReviewStatus.DISMISSED
        session.flush()
        return None
    if action == "accept":
        target = Controversy(partnership_id=campaign.partnership_id, title=report.title, description=report.description,
                             nature=report.nature, means=list(report.means or []), effect=report.effect)
        session.add(target)
        session.flush()
        report.review_status = ReviewStatus.ACCEPTED
    elif action == "merge" and target is not None and target.partnership_id == campaign.partnership_id:
        report.review_status = ReviewStatus.MERGED
    else:
        raise RegisterError(_("Choose the register entry to merge this report into."))
    report.controversy_id = target.id
    if report.status and not any(s.campaign_id == campaign.id for s in target.history):
        target.history.append(ControversyStatus(campaign_id=campaign.id, status=report.status))
    session.flush()
    return target
