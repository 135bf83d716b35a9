"""What funders see: shared campaigns only, scores only at k_funder responses or more.

Campaigns are read in chunks and scored from SQL totals, so thousands of campaigns stream
through without their answers (or even their ORM objects) being held in memory.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from partenariat.models import Answer, Campaign, Partnership, Response, User
from partenariat.scoring import AnswerCounts, score
from partenariat.scoring.rules import band
from questionnaires import load_instrument

BELOW_K_FUNDER = "below_k_funder"
CHUNK = 400


@dataclass(frozen=True)
class FunderRow:
    partnership_id: int
    partnership: str
    region: str | None
    year: int
    campaign_id: int
    instrument_version: str
    n: int
    scores: dict[str, Fraction | None]  # dimension and domain codes
    bands: dict[str, str | None]
    reason: str | None  # why scores are blank


def scope(session: Session, user: User | None) -> set[int] | None:
    """Partnership ids a funder may see (None: all, for admins, the CLI and all-funders)."""
    if user is None or user.role == "admin" or user.funds_all:
        return None
    from partenariat.services.accounts import partnership_ids

    return partnership_ids(session, user)


def shared_campaigns(session: Session, allowed: set[int] | None, year: int | None = None, region: str | None = None):
    query = (
        select(Campaign.id, Campaign.year, Campaign.instrument_version, Partnership.id, Partnership.name,
               Partnership.region)
        .join(Partnership, Partnership.id == Campaign.partnership_id)
        .where(Campaign.shared_with_funders.is_(True))
        .order_by(Campaign.year, Partnership.name, Campaign.id)
    )
    if allowed is not None:
        query = query.where(Partnership.id.in_(allowed or [-1]))
    if year is not None:
        query = query.where(Campaign.year == year)
    if region:
        query = query.where(Partnership.region == region)
    return session.execute(query).all()


def rows(session: Session, allowed: set[int] | None, k_funder: int, year: int | None = None,
         region: str | None = None) -> Iterator[FunderRow]:
    yield from _scored(session, shared_campaigns(session, allowed, year, region), k_funder)


def rows_for(session: Session, campaign: Campaign, k_funder: int) -> list[FunderRow]:
    """The row funders would get for one campaign, shared or not (the sharing preview)."""
    partnership = campaign.partnership
    meta = [(campaign.id, campaign.year, campaign.instrument_version, partnership.id, partnership.name, partnership.region)]
    return list(_scored(session, meta, k_funder))


def _scored(session: Session, campaigns, k_funder: int) -> Iterator[FunderRow]:
    for start in range(0, len(campaigns), CHUNK):
        chunk = campaigns[start:start + CHUNK]
        ids = [c[0] for c in chunk]
        sizes = dict(session.execute(
            select(Response.campaign_id, func.count()).where(Response.campaign_id.in_(ids)).group_by(Response.campaign_id)
        ).all())
        # One row per (campaign, item) with the four counts side by side: a quarter of the
        # rows a (campaign, item, value) grouping would send back.
        counted = {code: func.sum(case((Answer.value == code, 1), else_=0)) for code in ("A", "B", "C", "NSP")}
        tallies: dict[int, dict[str, AnswerCounts]] = defaultdict(dict)
        for campaign_id, item_code, a, b, c, nsp in session.execute(
            select(Response.campaign_id, Answer.item_code, *counted.values())
            .join(Response, Response.id == Answer.response_id)
            .where(Response.campaign_id.in_(ids))
            .group_by(Response.campaign_id, Answer.item_code)
        ):
            tallies[campaign_id][item_code] = AnswerCounts(int(a), int(b), int(c), int(nsp))
        for campaign_id, year_, version, partnership_id, name, region_ in chunk:
            instrument = load_instrument(version)
            n = sizes.get(campaign_id, 0)
            portrait = score(instrument, tallies.get(campaign_id, {}), n, k_funder, details=False)
            values = {**{c: d.score for c, d in portrait.dimensions.items()},
                      **{c: d.score for c, d in portrait.domains.items()}}
            yield FunderRow(
                partnership_id=partnership_id, partnership=name, region=region_, year=year_, campaign_id=campaign_id,
                instrument_version=version, n=n, scores=values,
                bands={code: band(value, instrument.bands) for code, value in values.items()},
                reason=BELOW_K_FUNDER if portrait.suppressed else None,
            )


def codes(instrument) -> list[str]:
    """Dimension then domain codes, the columns of every funder table."""
    return [*instrument.dimensions, *instrument.domains]


@dataclass(frozen=True)
class Spread:
    count: int
    median: float
    q1: float
    q3: float


def spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median, q1, q3)


class Summary:
    """Medians and quartiles per year and code, fed one row at a time."""

    def __init__(self):
        self.values: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.partnerships: dict[int, set[int]] = defaultdict(set)

    def add(self, row: FunderRow) -> None:
        self.partnerships[row.year].add(row.partnership_id)
        for code, value in row.scores.items():
            if value is not None:
                self.values[row.year][code].append(float(value))

    def years(self) -> list[int]:
        return sorted(self.partnerships)

    def table(self, year: int, code: str) -> Spread | None:
        return spread(self.values[year][code])


def set_shared(session: Session, campaign: Campaign, shared: bool) -> None:
    """Share a campaign with funders, or withdraw it; logged with the change. Commits."""
    from partenariat.services import audit

    if campaign.shared_with_funders != shared:
        campaign.shared_with_funders = shared
        audit.record(session, "share" if shared else "unshare", campaign_id=campaign.id,
                     partnership=campaign.partnership.name, year=campaign.year)
    session.commit()


def workbook(session: Session, user: User | None, k_funder: int, lang: str, year: int | None = None,
             region: str | None = None) -> bytes:
    """The funder workbook for ``user`` (None: the command line, every shared campaign); logged."""
    from exports.funder_workbook import build
    from partenariat.services import audit

    allowed = scope(session, user)
    data = build(rows(session, allowed, k_funder, year, region), load_instrument(), lang, k_funder, year)
    audit.record(session, "funder_export", year=year, region=region, lang=lang,
                 partnerships="all" if allowed is None else sorted(allowed))
    session.commit()
    return data
