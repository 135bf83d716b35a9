"""Creating partnerships and campaigns."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Partnership
from partenariat.statuses import CampaignStatus, IllegalTransition
from partenariat.validation import k_problem, period_problem, single_line_problem, year_problem
from questionnaires import LANGUAGES, load_instrument


class CampaignError(ValueError):
    pass


def get_or_create_partnership(session: Session, name: str, region: str | None = None) -> Partnership:
    name = name.strip()
    if not name:
        raise CampaignError(_("The partnership needs a name."))
    if len(name) > 200:
        raise CampaignError(_("The partnership name is longer than 200 characters."))
    partnership = session.scalar(select(Partnership).where(Partnership.name == name))
    if partnership is None:
        partnership = Partnership(name=name, region=region)
        session.add(partnership)
        session.flush()
    return partnership


def create_campaign(
    session: Session,
    *,
    partnership_name: str,
    year: int,
    title: str | None = None,
    k: int = 3,
    status: CampaignStatus = CampaignStatus.DRAFT,
    languages: str = "fr,en",
    opens_on: date | None = None,
    closes_on: date | None = None,
    region: str | None = None,
    focus: int = 6,
) -> Campaign:
    """Create a campaign (and its partnership if new)."""
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    problem = (year_problem(year) or k_problem(k) or period_problem(opens_on, closes_on)
               or single_line_problem(title))
    if problem:
        raise CampaignError(problem)
    if not 1 <= focus <= 12:
        raise CampaignError(_("The retreat focuses on 1 to 12 discussion points."))
    if not codes or any(code not in LANGUAGES for code in codes):
        raise CampaignError(_("Languages must be fr, en or both (fr,en)."))
    # The default title reads the same in French and English.
    title = (title or "").strip() or f"Portrait {year}"
    partnership = get_or_create_partnership(session, partnership_name, region)
    campaign = Campaign(
        partnership=partnership,
        year=year,
        title=title[:200],
        k=k,
        status=status,
        languages=",".join(codes),
        opens_on=opens_on,
        closes_on=closes_on,
        instrument_version=load_instrument().version,
        focus=focus,
    )
    session.add(campaign)
    session.flush()
    return campaign


def set_status(session: Session, campaign: Campaign, status: CampaignStatus) -> None:
    """Open (from draft, or reopen when closed) or close a campaign."""
    try:
        campaign.change_status(CampaignStatus(status))
    except (IllegalTransition, ValueError) as error:
        raise CampaignError(str(error)) from None
    session.flush()


def set_published(session: Session, campaign: Campaign, published: bool) -> None:
    campaign.published = published
    session.flush()


def delete_draft(session: Session, campaign: Campaign) -> None:
    """Delete a campaign still in draft that holds no response: a mistake, not a portrait."""
    from sqlalchemy import delete, func

    from partenariat.models import ControversyReport, Draft, Invitation, Response

    has_responses = session.scalar(select(func.count()).select_from(Response).where(Response.campaign_id == campaign.id))
    if campaign.status != CampaignStatus.DRAFT or has_responses:
        raise CampaignError(_("Only a draft campaign without responses can be deleted."))
    invitations = select(Invitation.id).where(Invitation.campaign_id == campaign.id)
    session.execute(delete(Draft).where(Draft.invitation_id.in_(invitations)))
    session.execute(delete(Invitation).where(Invitation.campaign_id == campaign.id))
    session.execute(delete(ControversyReport).where(ControversyReport.campaign_id == campaign.id))
    session.delete(campaign)
    session.flush()


def same_year_campaigns(session: Session, partnership_id: int, year: int) -> list[Campaign]:
    return list(session.scalars(select(Campaign).where(Campaign.partnership_id == partnership_id, Campaign.year == year)))
