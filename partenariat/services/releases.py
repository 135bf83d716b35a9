"""Releases: the frozen sets of responses every result is computed from (docs/privacy.md).

A coordinator makes a release when enough responses wait (or closes the campaign, which
makes the final one when the rules allow). Between two releases nothing a coordinator,
partner or funder can see changes, so that comparing two views never isolates a partner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import ngettext
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from partenariat.models import Campaign, ControversyReport, Release, Response
from partenariat.scoring.releases import GroupDecision, Refusal, Tallies, group_decision, release_refusal
from partenariat.statuses import CampaignStatus, ResponseSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseInfo:
    number: int
    n_link: int
    n_entered: int
    final: bool
    made_at: datetime

    @property
    def n(self) -> int:
        return self.n_link + self.n_entered


@dataclass(frozen=True)
class ReleaseState:
    """What the campaign page says about releases."""

    latest: ReleaseInfo | None
    waiting: Tallies  # sent (or entered) since the latest release
    refusal: Refusal | None  # None: a release can be made now

    @property
    def can_release(self) -> bool:
        return self.refusal is None and self.waiting.total > 0


class ReleaseRefused(Exception):
    def __init__(self, refusal: Refusal, k: int):
        super().__init__(refusal.code)
        self.refusal = refusal
        self.message = refusal_message(refusal, k)


def refusal_message(refusal: Refusal, k: int) -> str:
    n = refusal.needed
    if refusal.code == "below_k":
        return ngettext("A release needs at least %(k)s responses: %(num)s more is needed.",
                        "A release needs at least %(k)s responses: %(num)s more are needed.", n, k=k)
    if refusal.code == "too_few_new":
        return ngettext("A new release needs at least %(k)s responses more than the last one: %(num)s more is needed.",
                        "A new release needs at least %(k)s responses more than the last one: %(num)s more are needed.",
                        n, k=k)
    if refusal.code == "few_link":
        return ngettext("Responses sent through links must number none or at least %(k)s, so that entered rows cannot "
                        "single one out: %(num)s more through a link is needed.",
                        "Responses sent through links must number none or at least %(k)s, so that entered rows cannot "
                        "single one out: %(num)s more through links are needed.", n, k=k)
    return ngettext("Since the last release, the responses sent through links must grow by none or by at least %(k)s: "
                    "%(num)s more through a link is needed.",
                    "Since the last release, the responses sent through links must grow by none or by at least %(k)s: "
                    "%(num)s more through links are needed.", n, k=k)


def latest(session: Session, campaign_id: int) -> Release | None:
    return session.scalar(select(Release).where(Release.campaign_id == campaign_id).order_by(Release.number.desc()).limit(1))


def _info(release: Release | None) -> ReleaseInfo | None:
    if release is None:
        return None
    return ReleaseInfo(release.number, release.n_link, release.n_entered, release.final, release.made_at)


def _waiting(session: Session, campaign_id: int) -> Tallies:
    link, total = session.execute(
        select(func.coalesce(func.sum(case((Response.source == ResponseSource.LINK, 1), else_=0)), 0), func.count())
        .where(Response.campaign_id == campaign_id, Response.release_number.is_(None))).one()
    return Tallies(int(link), int(total) - int(link))


def _previous(release: Release | None) -> Tallies:
    return Tallies(release.n_link, release.n_entered) if release else Tallies()


def state(session: Session, campaign: Campaign) -> ReleaseState:
    last = latest(session, campaign.id)
    waiting = _waiting(session, campaign.id)
    previous = _previous(last)
    after = Tallies(previous.link + waiting.link, previous.entered + waiting.entered)
    return ReleaseState(_info(last), waiting, release_refusal(campaign.k, previous, after))


def _sector_tallies(session: Session, campaign_id: int) -> dict[str, Tallies]:
    rows = session.execute(
        select(Response.sector, func.sum(case((Response.source == ResponseSource.LINK, 1), else_=0)), func.count())
        .where(Response.campaign_id == campaign_id).group_by(Response.sector)).all()
    return {sector: Tallies(int(link), int(total) - int(link)) for sector, link, total in rows}


def _breakdown_reference(session: Session, campaign_id: int) -> dict[str, Tallies] | None:
    """Sector tallies of the last release that showed the breakdown."""
    for release in session.scalars(select(Release).where(Release.campaign_id == campaign_id)
                                   .order_by(Release.number.desc())):
        if release.groups.get("shown"):
            return {code: Tallies(*pair) for code, pair in release.groups["tallies"].items()}
    return None


def make_release(session: Session, campaign: Campaign, final: bool = False) -> Release:
    """Freeze every waiting response into a new release; raises ReleaseRefused."""
    current = state(session, campaign)
    if current.waiting.total == 0 and not final:
        raise ReleaseRefused(Refusal("too_few_new", campaign.k), campaign.k)
    if current.refusal is not None:
        raise ReleaseRefused(current.refusal, campaign.k)
    number = (current.latest.number if current.latest else 0) + 1
    # Every response of the campaign is counted from now on: tally them with the ones about
    # to be released, for the groups' decision.
    session.execute(update(Response).where(Response.campaign_id == campaign.id, Response.release_number.is_(None))
                    .values(release_number=number))
    session.execute(update(ControversyReport).where(ControversyReport.campaign_id == campaign.id,
                                                    ControversyReport.release_number.is_(None))
                    .values(release_number=number))
    tallies = _sector_tallies(session, campaign.id)
    decision: GroupDecision = group_decision(campaign.k, tallies, _breakdown_reference(session, campaign.id))
    previous = _previous(latest(session, campaign.id))
    release = Release(campaign_id=campaign.id, number=number, n_link=previous.link + current.waiting.link,
                      n_entered=previous.entered + current.waiting.entered, final=final,
                      groups={"shown": decision.shown, "hidden": decision.hidden,
                              "tallies": {code: [t.link, t.entered] for code, t in tallies.items()}})
    session.add(release)
    session.flush()
    log.info("campaign %s: release %s made (%s responses)", campaign.id, number, release.n)
    return release


@dataclass(frozen=True)
class Closing:
    release: Release | None  # the final release, when one could be made
    refusal_message: str | None  # why there is no new final release


def close(session: Session, campaign: Campaign) -> Closing:
    """Close the campaign to answers, with a final release of what waits when the rules allow."""
    from partenariat.services.campaign import set_status

    set_status(session, campaign, CampaignStatus.CLOSED)
    current = state(session, campaign)
    if current.waiting.total == 0:
        return Closing(None, None)
    try:
        return Closing(make_release(session, campaign, final=True), None)
    except ReleaseRefused as refused:
        return Closing(None, refused.message)


def latest_numbers(session: Session, campaign_ids) -> dict[int, int]:
    """{campaign id: latest release number} for the campaigns that have one."""
    ids = list(campaign_ids)
    return dict(session.execute(select(Release.campaign_id, func.max(Release.number))
                                .where(Release.campaign_id.in_(ids)).group_by(Release.campaign_id)).all())


def describe_refusal(refusal: Refusal | None, k: int) -> str | None:
    return None if refusal is None else refusal_message(refusal, k)


__all__ = ["Closing", "ReleaseInfo", "ReleaseRefused", "ReleaseState", "close", "describe_refusal", "latest",
           "latest_numbers", "make_release", "state"]
