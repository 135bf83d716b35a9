"""What funders see: shared campaigns only, scores only at k_funder responses or more.

Campaigns are read in chunks and scored from SQL totals, so thousands of campaigns stream
through without their answers (or even their ORM objects) being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat import access
from partenariat.models import Campaign, Partnership, User
from partenariat.results import BELOW_K_FUNDER, FunderRow
from partenariat.scoring import scores_and_bands
from partenariat.scoring.aggregates import Spread, Summary, codes, spread
from partenariat.scoring.rules import band
from partenariat.services.portrait import answer_counts
from questionnaires import load_instrument

# Re-exported for the callers that knew them here.
__all__ = ["BELOW_K_FUNDER", "CHUNK", "FunderRow", "Spread", "Summary", "codes", "rows", "rows_for", "scope",
           "set_shared", "shared_campaigns", "spread", "summary"]

CHUNK = 400


def scope(session: Session, user: User | None) -> set[int] | None:
    """Partnership ids a funder may see (None: all — the command line, accounts that see
    every partnership, and funders of every partnership)."""
    if user is None or user.funds_all:
        return None
    return access.partnership_ids(session, user)


def shared_campaigns(session: Session, allowed: set[int] | None, year: int | None = None, region: str | None = None):
    query = (
        select(Campaign.id, Campaign.year, Campaign.instrument_version, Partnership.id, Partnership.name,
               Partnership.region, Campaign.k)
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
    meta = [(campaign.id, campaign.year, campaign.instrument_version, partnership.id, partnership.name, partnership.region,
             campaign.k)]
    return list(_scored(session, meta, k_funder))


def summary(funder_rows) -> Summary:
    """Medians and quartiles of ``funder_rows`` per year and code."""
    stats = Summary()
    for row in funder_rows:
        stats.add(row.year, row.partnership_id, row.scores)
    return stats


def _scored(session: Session, campaigns, k_funder: int) -> Iterator[FunderRow]:
    for start in range(0, len(campaigns), CHUNK):
        chunk = campaigns[start:start + CHUNK]
        tallies = answer_counts(session, [c[0] for c in chunk])
        for campaign_id, year_, version, partnership_id, name, region_, k in chunk:
            instrument = load_instrument(version)
            # The campaign's latest release (answer_counts counts released responses only),
            # scored only with at least max(k, k_funder) responses: a campaign that raised
            # its own threshold above the funders' keeps it.
            n, counts = tallies.get(campaign_id, (0, {}))
            portrait = scores_and_bands(instrument, counts, n, max(k, k_funder))
            values = {**{c: d.score for c, d in portrait.dimensions.items()},
                      **{c: d.score for c, d in portrait.domains.items()}}
            yield FunderRow(
                partnership_id=partnership_id, partnership=name, region=region_, year=year_, campaign_id=campaign_id,
                instrument_version=version, n=n, scores=values,
                bands={code: band(value, instrument.bands) for code, value in values.items()},
                reason=BELOW_K_FUNDER if portrait.suppressed else None,
            )


def set_shared(session: Session, campaign: Campaign, shared: bool) -> None:
    """Share a campaign with funders, or withdraw it; logged with the change."""
    from partenariat.services import audit

    if campaign.shared_with_funders != shared:
        campaign.shared_with_funders = shared
        audit.record(session, "share" if shared else "unshare", campaign_id=campaign.id,
                     partnership=campaign.partnership.name, year=campaign.year)
    session.flush()
