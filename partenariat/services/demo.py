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
from partenariat.plan.model import ActionFields, TargetKind, TargetRef
from partenariat.roles import Role
from partenariat.services import draft as drafts
from partenariat.services import plan as plans
from partenariat.services import timeline as timelines
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite
from partenariat.services.releases import make_release
from partenariat.statuses import CampaignStatus, InvitationStatus
from partenariat.timeline import graph
from partenariat.timeline.model import Effect, Event, EventStatus, Kind, Link, PartialDate, Timeline
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


# The demo partnership's project, told as a timeline (SPEC §8): a solidarity market, from a
# first committee to a permanent market, with setbacks on RT09–RT12 along the way.
DEMO_PROJECT = "Marché solidaire"
DEMO_PROJECT_DESCRIPTION = ("Offrir des fruits et légumes frais à prix modulé dans un secteur du quartier "
                            "sans épicerie, avec les résidents, les organismes et l'arrondissement.")
# ref, date, rt, setback?, title, actors, the refs it led to (with a rationale for some).
DEMO_EVENTS = (
    ("E01", "2019-02", "RT01", False, "Premier comité de travail sur l'accès aux aliments frais",
     "Table de quartier, CLSC, deux organismes communautaires", ("E02", "E03")),
    ("E02", "2019-05", "RT02", False, "Le comité se donne un mandat et un calendrier mensuel", "Comité", ("E04",)),
    ("E03", "2019-09", "RT03", False, "Un désaccord sur la place des commerçants réglé en assemblée ouverte",
     "Comité, commerçants, résidents", ("E05",)),
    ("E04", "2019-11", "RT04", False, "Un portrait des secteurs éloignés des épiceries", "Comité, CLSC", ("E05", "E06")),
    ("E05", "2020-02", "RT07", False, "Deux résidentes deviennent porte-parole du projet", "Résidentes", ("E07",)),
    ("E06", "2020-04", "RT05", False, "Le portrait est remis à l'arrondissement et au CIUSSS", "Comité", ("E08", "E09")),
    ("E07", "2020-06", "RT06", False, "L'arrondissement cite le portrait dans son plan d'action", "Arrondissement",
     ("E09",)),
    ("E08", "2020-09", "RT10", True, "Une fondation refuse la première demande de financement", "Fondation", ("E10",)),
    ("E09", "2020-10", "RT12", False, "L'arrondissement s'engage à prêter une salle le samedi", "Arrondissement",
     ("E11",)),
    ("E10", "2021-01", "RT10", False, "Une demande revue obtient un financement de deux ans", "Comité, fondation",
     ("E11", "E12")),
    ("E11", "2021-04", "RT11", False, "Entente d'approvisionnement avec une épicerie et deux fermes",
     "Épicerie, fermes de la région", ("E13",)),
    ("E12", "2021-05", "RT09", False, "Une nutritionniste du CLSC se joint à l'équipe", "CLSC", ("E13",)),
    ("E13", "2021-06-12", "RT08", False, "Premier marché solidaire; la charte des bénévoles est adoptée",
     "Bénévoles, comité", ("FX1", "E14")),
    ("E14", "2021-10", "RT09", True, "L'épicerie partenaire se retire de l'entente", "Épicerie", ("E15",)),
    ("E15", "2022-02", "RT11", False, "Une coopérative agricole prend le relais de l'épicerie", "Coopérative",
     ("E16",)),
    ("E16", "2022-05", "RT04", False, "Une carte solidaire à prix modulé selon le revenu", "Comité, CLSC", ("E17",)),
    ("E17", "2022-08", "RT05", False, "Les écoles et l'office d'habitation distribuent la carte",
     "Écoles, office d'habitation", ("FX2", "E18")),
    ("E18", "2022-11", "RT11", True, "Deux organismes quittent le comité, faute de temps", "Organismes", ("E19",)),
    ("E19", "2023-03", "RT02", False, "Un conseil des usagers entre dans la gouvernance du marché", "Usagers",
     ("E20",)),
    ("E20", "2023-06", "RT07", False, "Le conseil des usagers présente le bilan au conseil d'arrondissement",
     "Conseil des usagers", ("E21",)),
    ("E21", "2023-09", "RT12", True, "L'arrondissement reporte l'aménagement d'un local permanent", "Arrondissement",
     ("E22",)),
    ("E22", "2024-02", "RT06", False, "Le bilan est repris dans la politique de développement social de la ville",
     "Ville", ("E23",)),
    ("E23", "2024-06", "RT12", False, "La ville inscrit un marché permanent à son budget", "Ville", ("E24", "FX3")),
    ("E24", "2024-10", "RT10", False, "Entente de financement de trois ans avec le CIUSSS", "CIUSSS", ("FX3",)),
    ("E25", "2025-09", "RT11", False, "Étendre le marché à un deuxième secteur du quartier", "Comité, usagers", ()),
)
DEMO_PLANNED = {"E25"}
DEMO_EFFECTS = (
    ("FX1", "2021-09", "Des fruits et légumes frais à prix réduit chaque samedi près des habitations à loyer modique"),
    ("FX2", "2022-12", "Les ménages à faible revenu forment la moitié de la clientèle du marché"),
    ("FX3", "2025-05", "Un marché permanent ouvert trois jours par semaine"),
)
DEMO_RATIONALES = {
    ("E08", "E10"): "Le refus a mené à revoir le budget et à viser un autre bailleur.",
    ("E14", "E15"): "Le départ de l'épicerie a poussé le comité vers les producteurs.",
    ("E17", "E18"): "La distribution de la carte a alourdi la tâche des plus petits organismes.",
    ("E21", "E22"): "Faute de local, le comité a porté le dossier à l'échelle de la ville.",
}


def _demo_timeline() -> Timeline:
    events = [Event(ref=ref, date=PartialDate.parse(when), title=title, rt=rt, actors=actors,
                    kind=Kind.SETBACK if setback else Kind.RESULT,
                    status=EventStatus.PLANNED if ref in DEMO_PLANNED else EventStatus.DONE)
              for ref, when, rt, setback, title, actors, _targets in DEMO_EVENTS]
    effects = [Effect(ref=ref, date=PartialDate.parse(when), title=title) for ref, when, title in DEMO_EFFECTS]
    links = [Link(ref, target, DEMO_RATIONALES.get((ref, target), ""))
             for ref, _when, _rt, _setback, _title, _actors, targets in DEMO_EVENTS for target in targets]
    return graph.build(DEMO_PROJECT, events, effects, links, description=DEMO_PROJECT_DESCRIPTION,
                       start=PartialDate(2019, 2), rt_codes=load_instrument().rts)


# Last year's retreat (SPEC §9): the group's reading of some of its points, by dimension
# (consensus, reasons, dissent, to work on), and four actions in different states, whose
# targets this year's portrait shows moving.
DEMO_PARTICIPANTS = ("Table de quartier des Érables (coordination)", "CDC des Érables", "CIUSSS du Centre-Sud",
                     "Arrondissement", "Office municipal d'habitation", "Comité des résidents")
DEMO_DECISIONS = ("Faire une place aux résidents dans les instances de la Table; clarifier qui décide quoi; "
                  "revoir le partage des ressources entre partenaires; suivre nos décisions d'une rencontre à l'autre.")
DEMO_READINGS = {
    "COND1": ("C", "Aucun résident ne siège à une instance de la Table.", "", True),
    "KEY1": (None, "Les rôles sont écrits, mais chacun les lit à sa façon.",
             "Les partenaires institutionnels jugent les rôles clairs; les organismes, non.", True),
    "COND3": ("B", "Les objectifs sont partagés, les moyens moins.", "", False),
    "COND4": ("C", "Les ressources viennent surtout de deux partenaires.", "", True),
}
# title, targets (kind, code), expected RT, lead, (start, due) as month numbers counted from
# the retreat year's January (13 is the next January), status changes as (status, years
# after the retreat, month, day, note).
DEMO_ACTIONS = (
    ("Deux résidentes au comité de pilotage", (("item", "C02"), ("dimension", "COND1")), "RT07",
     "Table de quartier (coordination)", (6, 12),
     (("en_cours", 0, 6, 12, "Deux résidentes ont accepté l'invitation."),
      ("realisee", 0, 10, 8, "Elles siègent depuis la rencontre d'octobre."))),
    ("Une charte de gouvernance : qui décide quoi", (("item", "K1_3"), ("dimension", "KEY1")), "RT02",
     "Comité de coordination", (9, 18),
     (("en_cours", 0, 9, 15, "Un premier jet discuté en comité."),)),
    ("Un atelier sur le partage des ressources", (("item", "C11"), ("dimension", "COND4")), "RT10",
     "CDC des Érables et CIUSSS", (10, 25),
     (("reportee", 1, 2, 10, "Reporté après le dépôt des demandes de financement."),)),
    ("Suivre nos décisions d'une rencontre à l'autre", (("dimension", "KEY3"), ("item", "K3_3")), "RT04",
     "Secrétariat de la Table", (13, 24), ()),
)


def _month(year: int, months: int) -> date:
    return date(year + (months - 1) // 12, (months - 1) % 12 + 1, 1)


def _demo_retreat(session: Session, campaign_id: int, year: int) -> None:
    plans.open_retreat(session, campaign_id, None)
    plans.save_retreat(session, campaign_id, held_on=date(year, 5, 21), method="compiled",
                       participants="\n".join(DEMO_PARTICIPANTS), decisions=DEMO_DECISIONS)
    for point in plans.retreat_view(session, campaign_id).points:
        if point.dimension in DEMO_READINGS:
            consensus, reasons, dissent, to_work_on = DEMO_READINGS[point.dimension]
            plans.save_reading(session, campaign_id, point.reading_id, consensus=consensus, reasons=reasons,
                               dissent=dissent, to_work_on=to_work_on)
    for title, targets, rt, lead, (start, due), changes in DEMO_ACTIONS:
        action_id = plans.add_action(session, campaign_id, ActionFields(
            title=title, priority=True, expected_rt=rt, lead=lead, start_on=_month(year, start),
            due_on=_month(year, due), how_we_will_know="",
            targets=tuple(TargetRef(TargetKind(kind), code) for kind, code in targets)))
        for status, offset, month, day, note in changes:
            plans.change_status(session, action_id, status, note, date(year + offset, month, day))


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
    plans.remove_retreats(session, partnership.id)
    timelines.remove_projects(session, partnership.id)
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
        if year == today.year - 1:
            _demo_retreat(session, campaign.id, year)
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
    timelines.save_timeline(session, campaign.partnership, _demo_timeline())
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
