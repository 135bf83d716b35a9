"""A campaign's portrait from the database: counts are totalled in SQL, scored in Python.

Only (item, answer) counts travel from the database — never one object per answer — so a
campaign of any size is scored in the same few queries. What leaves this module is plain
data (``partenariat.results``), never an ORM object.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from partenariat.models import (
    Answer,
    Campaign,
    Controversy,
    ControversyReport,
    ControversyStatus,
    Invitation,
    Release,
    Response,
)
from partenariat.results import (
    CampaignInfo,
    CampaignPortrait,
    ControversyRow,
    ControversySummary,
    IndividualAnswers,
    PartnershipInfo,
    ReleaseSummary,
)
from partenariat.scoring import AnswerCounts, breakdown, score
from partenariat.services import releases
from partenariat.statuses import ReviewStatus
from questionnaires import ANSWER_CODES, MISSING_CODE, Instrument, load_instrument

# Re-exported: these lived here before partenariat.results existed.
__all__ = ["CampaignPortrait", "ControversyRow", "ControversySummary", "IndividualAnswers", "answer_counts", "build",
           "campaign_info", "controversy_rows", "fingerprint", "individual_answers"]

Tally = tuple[int, dict[str, AnswerCounts]]  # (responses, answer counts per item)


def campaign_info(campaign: Campaign) -> CampaignInfo:
    partnership = campaign.partnership
    return CampaignInfo(
        id=campaign.id, year=campaign.year, title=campaign.title, k=campaign.k, status=campaign.status,
        instrument_version=campaign.instrument_version, published=campaign.published,
        partnership=PartnershipInfo(partnership.id, partnership.name, partnership.region), focus=campaign.focus,
    )


def answer_counts(session: Session, campaign_ids: Iterable[int], by_sector: bool = False,
                  up_to_release: int | None = None) -> dict:
    """The one reading of answers as counts: {campaign id: (responses, counts per item)}, or
    {(campaign id, sector): …} with ``by_sector``. Every result is scored from here, so the
    choice of which responses count is made here and only here: the responses of the
    campaign's latest release (releases are cumulative, so that is every released response),
    or of release ``up_to_release`` and those before it. Responses waiting for a release
    never count. Campaigns (or sectors) without released responses are absent."""
    ids = list(campaign_ids)
    group = [Response.campaign_id, Response.sector] if by_sector else [Response.campaign_id]
    width = len(group)
    released = Response.release_number.is_not(None) if up_to_release is None else \
        Response.release_number <= up_to_release

    def key(row):
        return tuple(row[:width]) if by_sector else row[0]

    sizes = {key(row): row[width] for row in session.execute(
        select(*group, func.count()).where(Response.campaign_id.in_(ids), released).group_by(*group))}
    # One row per (campaign[, sector], item) with the four counts side by side: a quarter
    # of the rows a grouping by answer value would send back.
    counted = [func.sum(case((Answer.value == code, 1), else_=0)) for code in (*ANSWER_CODES, MISSING_CODE)]
    tallies: dict = defaultdict(dict)
    for row in session.execute(
        select(*group, Answer.item_code, *counted)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id.in_(ids), released)
        .group_by(*group, Answer.item_code)
    ):
        a, b, c, nsp = row[width + 1:]
        tallies[key(row)][row[width]] = AnswerCounts(int(a), int(b), int(c), int(nsp))
    return {k: (n, tallies.get(k, {})) for k, n in sizes.items()}


def campaign_counts(session: Session, campaign_id: int) -> Tally:
    """(submitted responses, answer counts per item) for one campaign."""
    return answer_counts(session, [campaign_id]).get(campaign_id, (0, {}))


def sector_counts(session: Session, campaign_id: int, sectors) -> dict[str, Tally]:
    by_sector = answer_counts(session, [campaign_id], by_sector=True)
    return {sector: by_sector.get((campaign_id, sector), (0, {})) for sector in sectors}


def controversy_rows(session: Session, campaign: Campaign) -> list[ControversyRow]:
    entries = session.execute(
        select(Controversy, ControversyStatus.status)
        .join(ControversyStatus, ControversyStatus.controversy_id == Controversy.id)
        .where(ControversyStatus.campaign_id == campaign.id)
        .order_by(Controversy.id)
    ).all()
    # Partners' reports only once a release brought them, in the order of their random ids.
    pending = session.scalars(
        select(ControversyReport)
        .where(ControversyReport.campaign_id == campaign.id, ControversyReport.review_status == ReviewStatus.PENDING,
               ControversyReport.release_number.is_not(None))
        .order_by(ControversyReport.id)
    ).all()
    return [
        ControversyRow(f"E{c.id}", "register", c.title, c.description, c.nature, status, list(c.means or []), c.effect)
        for c, status in entries
    ] + [
        ControversyRow(f"R{index}", "report", r.title, r.description, r.nature, r.status, list(r.means or []), r.effect)
        for index, r in enumerate(pending, start=1)
    ]


def controversy_summary(rows: list[ControversyRow], instrument: Instrument) -> ControversySummary:
    statuses = Counter(r.status for r in rows if r.status)
    return ControversySummary(
        status_counts={status: statuses.get(status, 0) for status in instrument.register["status"]},
        entries=[
            {"id": r.ref, "source": r.source, "nature": r.nature, "status": r.status, "means": r.means, "effect": r.effect}
            for r in rows
        ],
    )


def fingerprint(session: Session, campaign: Campaign) -> tuple:
    """Everything a campaign's portrait depends on: its latest release (frozen), what was
    invited, and the settings. The creation time tells a campaign from a later one that
    reuses its id."""
    last = releases.latest(session, campaign.id)
    n_invited = session.scalar(select(func.count()).select_from(Invitation).where(Invitation.campaign_id == campaign.id))
    return (campaign.id, campaign.created_at, campaign.k, campaign.focus, campaign.instrument_version,
            last.number if last else None, n_invited)


def release_summary(release: Release | None) -> ReleaseSummary | None:
    if release is None:
        return None
    return ReleaseSummary(release.number, release.n_link, release.n_entered, release.made_at, release.final,
                          bool(release.groups.get("shown")))


def build(session: Session, campaign: Campaign, portrait_only: bool = False) -> CampaignPortrait:
    """The portrait of the campaign's latest release; ``portrait_only`` skips the sector
    groups and controversies (charts and comparisons need neither). Without a release,
    nothing is shown (the portrait is suppressed)."""
    instrument = load_instrument(campaign.instrument_version)
    last = releases.latest(session, campaign.id)
    n_submitted, counts = campaign_counts(session, campaign.id) if last else (0, {})
    n_invited = session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.campaign_id == campaign.id)
    ) or 0
    if portrait_only or last is None:
        groups, controversies = [], ControversySummary({}, [])
    else:
        groups = []
        if last.groups.get("shown"):
            groups = breakdown(instrument, sector_counts(session, campaign.id, instrument.sectors), campaign.k,
                               n_submitted, hidden=last.groups.get("hidden", {}))
        controversies = controversy_summary(controversy_rows(session, campaign), instrument)
    return CampaignPortrait(
        campaign=campaign_info(campaign),
        instrument=instrument,
        n_invited=n_invited,
        counts=counts,
        portrait=score(instrument, counts, n_submitted, campaign.k),
        groups=groups,
        controversies=controversies,
        release=release_summary(last),
    )


def individual_answers(session: Session, campaign: Campaign) -> list[IndividualAnswers]:
    """The answers of the latest release's responses, for the coordinator's workbook only
    (docs/privacy.md): in a fresh random order with pseudonyms R001… drawn for this export,
    so that neither order nor pseudonym links a row to another export or to a partner, and
    the answers alone — no sector, no language."""
    ids = list(session.scalars(select(Response.id).where(Response.campaign_id == campaign.id,
                                                        Response.release_number.is_not(None))))
    if len(ids) < campaign.k:
        return []
    rows = session.execute(
        select(Answer.response_id, Answer.item_code, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id == campaign.id, Response.release_number.is_not(None))
    ).all()
    by_response: dict[str, dict[str, str]] = defaultdict(dict)
    for response_id, item_code, value in rows:
        by_response[response_id][item_code] = value
    secrets.SystemRandom().shuffle(ids)
    return [IndividualAnswers(pseudonym=f"R{index:03d}", answers=by_response.get(response_id, {}))
            for index, response_id in enumerate(ids, start=1)]
