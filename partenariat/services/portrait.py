"""A campaign's portrait from the database: counts are totalled in SQL, scored in Python.

Only (item, answer) counts travel from the database — never one object per answer — so a
campaign of any size is scored in the same few queries. What leaves this module is plain
data (``partenariat.results``), never an ORM object.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from partenariat.models import Answer, Campaign, Controversy, ControversyReport, ControversyStatus, Invitation, Response
from partenariat.results import (
    CampaignInfo,
    CampaignPortrait,
    ControversyRow,
    ControversySummary,
    IndividualAnswers,
    PartnershipInfo,
)
from partenariat.scoring import AnswerCounts, breakdown, score
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


def answer_counts(session: Session, campaign_ids: Iterable[int], by_sector: bool = False) -> dict:
    """The one reading of answers as counts: {campaign id: (responses, counts per item)}, or
    {(campaign id, sector): …} with ``by_sector``. Every result is scored from here, so the
    choice of which responses count is made here and only here. Campaigns (or sectors)
    without responses are absent."""
    ids = list(campaign_ids)
    group = [Response.campaign_id, Response.sector] if by_sector else [Response.campaign_id]
    width = len(group)

    def key(row):
        return tuple(row[:width]) if by_sector else row[0]

    sizes = {key(row): row[width] for row in session.execute(
        select(*group, func.count()).where(Response.campaign_id.in_(ids)).group_by(*group))}
    # One row per (campaign[, sector], item) with the four counts side by side: a quarter
    # of the rows a grouping by answer value would send back.
    counted = [func.sum(case((Answer.value == code, 1), else_=0)) for code in (*ANSWER_CODES, MISSING_CODE)]
    tallies: dict = defaultdict(dict)
    for row in session.execute(
        select(*group, Answer.item_code, *counted)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id.in_(ids))
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
    pending = session.scalars(
        select(ControversyReport)
        .where(ControversyReport.campaign_id == campaign.id, ControversyReport.review_status == "pending")
        .order_by(ControversyReport.id)
    ).all()
    return [
        ControversyRow(f"E{c.id}", "register", c.title, c.description, c.nature, status, list(c.means or []), c.effect)
        for c, status in entries
    ] + [
        ControversyRow(f"R{r.id}", "report", r.title, r.description, r.nature, r.status, list(r.means or []), r.effect)
        for r in pending
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
    """Everything a campaign's portrait depends on, in two indexed counts: responses are
    only ever added (never edited), and the portrait also shows how many were invited. The
    creation time tells a campaign from a later one that reuses its id."""
    n_responses = session.scalar(select(func.count()).select_from(Response).where(Response.campaign_id == campaign.id))
    n_invited = session.scalar(select(func.count()).select_from(Invitation).where(Invitation.campaign_id == campaign.id))
    return (campaign.id, campaign.created_at, campaign.k, campaign.instrument_version, n_responses, n_invited)


def build(session: Session, campaign: Campaign, portrait_only: bool = False) -> CampaignPortrait:
    """The campaign's portrait; ``portrait_only`` skips the sector groups and controversies
    (charts and comparisons need neither)."""
    instrument = load_instrument(campaign.instrument_version)
    n_submitted, counts = campaign_counts(session, campaign.id)
    n_invited = session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.campaign_id == campaign.id)
    ) or 0
    if portrait_only:
        groups, controversies = [], ControversySummary({}, [])
    else:
        groups = breakdown(instrument, sector_counts(session, campaign.id, instrument.sectors), campaign.k, n_submitted)
        controversies = controversy_summary(controversy_rows(session, campaign), instrument)
    return CampaignPortrait(
        campaign=campaign_info(campaign),
        instrument=instrument,
        n_invited=n_invited,
        counts=counts,
        portrait=score(instrument, counts, n_submitted, campaign.k),
        groups=groups,
        controversies=controversies,
    )


def individual_answers(session: Session, campaign: Campaign) -> list[IndividualAnswers]:
    """Answers under pseudonyms R001…, for the coordinator's workbook only (SPEC §5).

    Responses are numbered in the order of their random ids, which carries no information
    about who answered or when. Nothing is returned below k.
    """
    responses = session.scalars(
        select(Response).where(Response.campaign_id == campaign.id).order_by(Response.id)
    ).all()
    if len(responses) < campaign.k:
        return []
    sizes = Counter(r.sector for r in responses)
    rows = session.execute(
        select(Answer.response_id, Answer.item_code, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id == campaign.id)
    ).all()
    by_response: dict[str, dict[str, str]] = defaultdict(dict)
    for response_id, item_code, value in rows:
        by_response[response_id][item_code] = value
    return [
        IndividualAnswers(
            pseudonym=f"R{index:03d}",
            sector=r.sector if sizes[r.sector] >= campaign.k else None,
            lang=r.lang,
            answers=by_response.get(r.id, {}),
        )
        for index, r in enumerate(responses, start=1)
    ]
