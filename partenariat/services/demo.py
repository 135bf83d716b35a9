"""Demo data: one partnership, three yearly campaigns, invited partners, varied answers.

Deterministic (seeded) so that the README's screenshots and numbers stay stable. Running
it again replaces the demo partnership and prints fresh links (tokens are stored hashed,
so old ones cannot be shown again).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from partenariat.models import (
    Answer,
    Campaign,
    Controversy,
    ControversyReport,
    ControversyStatus,
    Draft,
    Invitation,
    Partnership,
    PartnershipAccess,
    Release,
    Response,
    User,
)
from partenariat.roles import Role
from partenariat.services import draft as drafts
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite
from partenariat.services.releases import make_release
from partenariat.statuses import CampaignStatus, InvitationStatus
from questionnaires import load_instrument

DEMO_PARTNERSHIP = "Table de quartier des Érables (démo)"
DEMO_REGION = "Montréal"
SECTOR_WEIGHTS = {
    "communautaire": 6, "institutionnel": 4, "municipal": 2, "citoyen": 3,
    "philanthropique": 1, "prive": 1, "autre": 1,
}
# Items the demo partnership finds hard, so that its portrait has weak spots to discuss.
HARD_ITEMS = {"C02": 0.25, "C16": 0.2, "K1_3": 0.2, "K3_3": 0.25, "C11": 0.3, "CV3": 0.3}
# Items where partners disagree, so that the portrait shows divergence.
SPLIT_ITEMS = {"C12", "K5_2", "C04"}
DEMO_REPORTS = [
    ("Partage du financement du projet de cuisine collective", "ressources", "ouverte", ["deliberation"], "ralentit"),
    ("Place des locataires dans le comité logement", "vision", "en_traitement", ["deliberation", "ajout"], "bloque"),
    ("Horaire des rencontres en journée", "interets", "resolue", ["nouvelle_solution"], "aucun"),
]


# Demo-only accounts with published passwords; a real instance creates its accounts with
# `flask --app app create-user`, which prints a one-time link instead.
DEMO_ACCOUNTS = [
    ("admin@demo.partenariat.test", "demo-admin-2026", Role.ADMIN),
    ("coordination@demo.partenariat.test", "demo-coordination-2026", Role.COORDINATOR),
    ("bailleur@demo.partenariat.test", "demo-bailleur-2026", Role.FUNDER),
]
OTHER_PARTNERSHIP = "Concertation du Haut-Fleuve (démo)"


@dataclass(frozen=True)
class DemoLinks:
    campaign_id: int
    fresh: list[tuple[str, str]]  # (label, token)
    half_done: list[tuple[str, str]]
    accounts: list[tuple[str, str, str]]


def _answer(rng: random.Random, code: str, year_offset: int) -> str | None:
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.10:
        return "NSP"
    if code in SPLIT_ITEMS:
        return rng.choice(["A", "A", "C", "C", "B"])
    strength = HARD_ITEMS.get(code, 0.62) + 0.06 * year_offset
    draw = rng.random()
    if draw < strength * 0.75:
        return "A"
    if draw < strength * 0.75 + 0.35:
        return "B"
    return "C"


def _sector(rng: random.Random) -> str:
    return rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[0]


def _demo_accounts(session: Session, partnership: Partnership) -> None:
    for email, password, role in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email)) or User(email=email, role=role)
        user.set_password(password)
        session.add(user)
        session.flush()
        if role == Role.COORDINATOR:
            session.add(PartnershipAccess(user_id=user.id, partnership_id=partnership.id))
        user.funds_all = role == Role.FUNDER
    session.flush()


def remove_demo(session: Session) -> None:
    for email, _password, _role in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            session.execute(delete(PartnershipAccess).where(PartnershipAccess.user_id == user.id))
            session.delete(user)
    session.flush()
    for name in (DEMO_PARTNERSHIP, OTHER_PARTNERSHIP):
        _remove_partnership(session, name)


def _remove_partnership(session: Session, name: str) -> None:
    partnership = session.scalar(select(Partnership).where(Partnership.name == name))
    if partnership is None:
        return
    campaign_ids = [c.id for c in partnership.campaigns]
    response_ids = select(Response.id).where(Response.campaign_id.in_(campaign_ids))
    invitation_ids = select(Invitation.id).where(Invitation.campaign_id.in_(campaign_ids))
    session.execute(delete(ControversyReport).where(ControversyReport.campaign_id.in_(campaign_ids)))
    session.execute(delete(ControversyStatus).where(ControversyStatus.campaign_id.in_(campaign_ids)))
    session.execute(delete(Controversy).where(Controversy.partnership_id == partnership.id))
    session.execute(delete(PartnershipAccess).where(PartnershipAccess.partnership_id == partnership.id))
    session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
    session.execute(delete(Response).where(Response.campaign_id.in_(campaign_ids)))
    session.execute(delete(Draft).where(Draft.invitation_id.in_(invitation_ids)))
    session.execute(delete(Invitation).where(Invitation.campaign_id.in_(campaign_ids)))
    session.execute(delete(Release).where(Release.campaign_id.in_(campaign_ids)))
    session.execute(delete(Campaign).where(Campaign.id.in_(campaign_ids)))
    session.delete(partnership)
    session.flush()


def seed(session: Session, today: date | None = None) -> DemoLinks:
    today = today or date.today()
    rng = random.Random(2026)
    instrument = load_instrument()
    remove_demo(session)
    sizes = [(today.year - 2, 14, 14), (today.year - 1, 17, 16), (today.year, 12, 5)]
    links = None
    for offset, (year, invited, submitted) in enumerate(sizes):
        current = year == today.year
        campaign = create_campaign(
            session,
            partnership_name=DEMO_PARTNERSHIP,
            region=DEMO_REGION,
            year=year,
            title=f"Portrait annuel {year}",
            status=CampaignStatus.OPEN if current else CampaignStatus.CLOSED,
            opens_on=today - timedelta(days=10) if current else date(year, 3, 1),
            closes_on=today + timedelta(days=30) if current else date(year, 4, 15),
        )
        invitees = [Invitee(label=f"Partenaire {n:02d}", sector=_sector(rng)) for n in range(1, invited + 1)]
        created = invite(session, campaign, invitees)
        for invitation, _token in created[:submitted]:
            response = Response(campaign_id=campaign.id, sector=invitation.sector, lang=rng.choice(["fr", "fr", "fr", "en"]))
            response.answers = [
                Answer(item_code=code, value=value)
                for code in instrument.items
                if (value := _answer(rng, code, offset)) is not None
            ]
            session.add(response)
            invitation.status = InvitationStatus.SUBMITTED
        session.flush()
        for title, nature, status, means, effect in DEMO_REPORTS[: offset + 1]:
            session.add(ControversyReport(campaign_id=campaign.id, title=title, description="", nature=nature,
                                          status=status, means=means, effect=effect))
        # Closed years have their final release; this year's five answers are released too,
        # so that the portrait can be read before the retreat.
        make_release(session, campaign, final=not current)
        # The demo partnership shares its closed years with funders (opt-in, off by default).
        campaign.shared_with_funders = not current
        session.flush()
        if current:
            half = created[submitted : submitted + 2]
            for invitation, _token in half:
                answers = {code: _answer(rng, code, offset) for code in instrument.section("conditions").items}
                drafts.update(session, invitation, sector=invitation.sector, answers=answers)
            links = DemoLinks(
                campaign_id=campaign.id,
                fresh=[(inv.label, token) for inv, token in created[submitted + 2 :]],
                half_done=[(inv.label, token) for inv, token in half],
                accounts=DEMO_ACCOUNTS,
            )
    _demo_accounts(session, campaign.partnership)
    # A second partnership the demo coordinator does not coordinate: its pages must stay closed.
    other = create_campaign(session, partnership_name=OTHER_PARTNERSHIP, region="Bas-Saint-Laurent",
                            year=today.year, title=f"Portrait annuel {today.year}", status=CampaignStatus.CLOSED)
    other.shared_with_funders = True  # 4 responses: funders see the row, without scores
    for _ in range(4):
        session.add(Response(campaign_id=other.id, sector="municipal", lang="fr",
                             answers=[Answer(item_code=code, value="B") for code in instrument.items]))
    session.flush()
    make_release(session, other, final=True)
    return links


def holds_other_data(session: Session) -> bool:
    """True when the database holds partnerships besides the demo's: seeding would mix them."""
    return session.scalar(select(Partnership.id).where(Partnership.name.not_in([DEMO_PARTNERSHIP, OTHER_PARTNERSHIP]))
                          .limit(1)) is not None
