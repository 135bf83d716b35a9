"""A campaign's portrait from the database: counts are totalled in SQL, scored in Python.

Only (item, answer) counts travel from the database — never one object per answer — so a
campaign of any size is scored in the same few queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partenariat.models import Answer, Campaign, Controversy, ControversyReport, ControversyStatus, Invitation, Response
from partenariat.scoring import AnswerCounts, Group, Portrait, breakdown, score
from questionnaires import Instrument, load_instrument


@dataclass(frozen=True)
class ControversySummary:
    status_counts: dict[str, int]
    # Entries without free text: (id, nature, status, means, effect).
    entries: list[dict]


@dataclass(frozen=True)
class CampaignPortrait:
    campaign: Campaign
    instrument: Instrument
    n_invited: int
    counts: dict[str, AnswerCounts]  # per item, as read from the database
    portrait: Portrait
    groups: list[Group]
    controversies: ControversySummary


def _to_counts(rows) -> dict[str, AnswerCounts]:
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for item_code, value, count in rows:
        tallies[item_code][value] = count
    return {
        code: AnswerCounts(A=t.get("A", 0), B=t.get("B", 0), C=t.get("C", 0), NSP=t.get("NSP", 0))
        for code, t in tallies.items()
    }


def campaign_counts(session: Session, campaign_id: int) -> tuple[int, dict[str, AnswerCounts]]:
    """(submitted responses, answer counts per item) for one campaign."""
    n = session.scalar(select(func.count()).select_from(Response).where(Response.campaign_id == campaign_id))
    rows = session.execute(
        select(Answer.item_code, Answer.value, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id == campaign_id)
        .group_by(Answer.item_code, Answer.value)
    ).all()
    return n or 0, _to_counts(rows)


def sector_counts(session: Session, campaign_id: int, sectors) -> dict[str, tuple[int, dict[str, AnswerCounts]]]:
    sizes = dict(session.execute(
        select(Response.sector, func.count()).where(Response.campaign_id == campaign_id).group_by(Response.sector)
    ).all())
    rows = session.execute(
        select(Response.sector, Answer.item_code, Answer.value, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Response.campaign_id == campaign_id)
        .group_by(Response.sector, Answer.item_code, Answer.value)
    ).all()
    by_sector = defaultdict(list)
    for sector, item_code, value, count in rows:
        by_sector[sector].append((item_code, value, count))
    return {sector: (sizes.get(sector, 0), _to_counts(by_sector.get(sector, []))) for sector in sectors}


@dataclass(frozen=True)
class ControversyRow:
    """A controversy as a campaign sees it: a register entry with its status at this
    campaign, or a partner's report the coordinator has not reviewed yet."""

    ref: str  # E<id> for register entries, R<id> for reports
    source: str  # register / report
    title: str
    description: str
    nature: str | None
    status: str | None
    means: list[str]
    effect: str | None


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
        campaign=campaign,
        instrument=instrument,
        n_invited=n_invited,
        counts=counts,
        portrait=score(instrument, counts, n_submitted, campaign.k),
        groups=groups,
        controversies=controversies,
    )


@dataclass(frozen=True)
class IndividualAnswers:
    pseudonym: str
    sector: str | None  # None where the sector has fewer than k respondents
    lang: str
    answers: dict[str, str]


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
