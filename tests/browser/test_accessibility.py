"""axe-core on every page of every role, in Chromium, at desktop and phone sizes.

The list of pages is checked against ``app.url_map``: a new GET route that is neither
visited below nor excluded on purpose fails ``test_every_page_is_visited``, so a page
cannot quietly escape the accessibility check. axe-core comes inside the
axe-playwright-python wheel (no download at run time).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe

from partenariat.database import db
from partenariat.models import Answer, Campaign, ControversyReport, Invitation, Response
from partenariat.services import draft as drafts
from partenariat.services import register
from partenariat.services.accounts import create_user
from partenariat.services.campaign import create_campaign, set_published
from partenariat.services.funding import set_shared
from partenariat.services.invitation import Invitee, invite
from partenariat.services.releases import make_release
from partenariat.services.submission import submit
from questionnaires import load_instrument

INSTRUMENT = load_instrument()
ITEMS = INSTRUMENT.item_codes
BLOCKING = {"serious", "critical"}
SIZES = {
    # The desktop pass reads the pages in French, the phone pass in English: each size and
    # each language is checked once without doubling the run.
    "desktop": ({"width": 1280, "height": 800}, "fr"),
    "phone": ({"width": 390, "height": 844}, "en"),
}

# GET routes that are not HTML pages, so axe has nothing to read. Their content is covered
# elsewhere: images through the <img> of the pages that show them, files and JSON by
# tests/test_exports.py, tests/test_funders.py and tests/test_libreoffice.py.
NOT_PAGES = {
    "static",                      # CSS and images
    "main.health",                 # plain "ok" for load balancers
    "campaigns.entry_template",    # XLSX download
    "portrait.workbook",           # XLSX download
    "funder.workbook",             # XLSX download
    "portrait.portrait_json",      # JSON
    "portrait.chart",              # SVG/PNG image
    "portrait.compare_chart",      # SVG/PNG image
    "respond.chart",               # SVG image
    "funder.medians_chart",        # SVG image
    "timeline.download",           # JSON, SVG, PNG, PDF, XLSX downloads
    "timeline.import_template",    # XLSX download
}


@dataclass(frozen=True)
class Page:
    endpoint: str | None  # None: an address that matches no route (the generic 404 page)
    role: str  # who opens it: visitor (also partners and error pages), coordinator, funder, admin
    path: str
    status: int = 200
    shows: str | None = None  # a CSS selector proving the page has the content built for it


def varied_responses(campaign_id: int, n: int) -> None:
    """``n`` imported responses whose answers rotate A, B, C, NSP, so that the portrait has
    strengths, weak spots, divergence and "don't know" counts."""
    values = ["A", "B", "C", "A", "NSP"]
    sectors = ["communautaire", "institutionnel", "municipal"]
    for r in range(n):
        db().add(Response(campaign_id=campaign_id, sector=sectors[r % 3], lang="fr", source="import",
                          answers=[Answer(item_code=code, value=values[(r + i) % len(values)])
                                   for i, code in enumerate(ITEMS)]))


def submitted_link(campaign: Campaign, label: str) -> str:
    """A partner who answered everything through their link (with a controversy report)."""
    ((invitation, token),) = invite(db(), campaign, [Invitee(label=label, sector="communautaire")])
    drafts.update(db(), invitation, sector="communautaire", answers={code: "A" for code in ITEMS},
                  add_report=drafts.ReportInput(title="Salle de réunion partagée", description="Qui réserve ?",
                                                nature="ressources", status="ouverte", means=("deliberation",),
                                                effect="ralentit"))
    submit(db(), invitation, INSTRUMENT, "fr")
    db().commit()
    return token


@pytest.fixture
def world(app, accounts):
    """Table A: 2025 closed, published and shared (a partner reads its portrait); 2026 open
    above k with a pending report, a register entry, a submitted link, a half-done link and
    a fresh one; 2027 a draft below k. Returns the pages to visit."""
    with app.app_context():
        session = db()
        last_year = create_campaign(session, partnership_name="Table A", year=2025, status="open", k=3)
        varied_responses(last_year.id, 6)
        # Three partners through links: link responses must number 0 or at least k for a release.
        published_token, *_others = [submitted_link(last_year, label) for label in ("CDC des Érables", "École", "Ville")]
        make_release(session, last_year, final=True)
        last_year.status = "closed"
        set_published(session, last_year, True)
        set_shared(session, last_year, True)

        current = create_campaign(session, partnership_name="Table A", year=2026, status="open", k=3,
                                  title="Portrait annuel 2026")
        varied_responses(current.id, 5)
        received_token, *_others = [submitted_link(current, label) for label in ("CIUSSS", "Maison des jeunes", "Caisse")]
        created = invite(session, current, [Invitee(label="Ville", sector="municipal"), Invitee(label="Citoyenne")])
        (half_done, half_token), (_fresh, fresh_token) = created
        drafts.update(session, half_done, sector="municipal",
                      answers={code: "B" for code in INSTRUMENT.section("conditions").items[:5]})
        set_shared(session, current, True)

        draft = create_campaign(session, partnership_name="Table A", year=2027, k=3)
        varied_responses(draft.id, 1)

        entry = register.add(session, current.partnership_id, register.Fields(
            "Partage du financement", "Qui porte la demande commune ?", "ressources", ["deliberation"], "ralentit"))
        register.update(session, entry, register.Fields(entry.title, entry.description, entry.nature, entry.means,
                                                        entry.effect), {last_year.id: "ouverte", current.id: "en_traitement"})
        session.add(ControversyReport(campaign_id=current.id, title="Horaire des rencontres", description="",
                                      nature="interets", status="ouverte", means=[], effect="aucun"))
        session.flush()
        make_release(session, current)  # brings the reports with it
        plan_ids = retreats_with_actions(session, last_year.id, current.id)
        _user, reset_token = create_user(session, "new@example.org", "coordinator", ["Table A"])
        tl = timeline_pages_world(session, current.partnership_id, entry.id)
        session.commit()
        assert session.query(Invitation).filter_by(campaign_id=current.id, status="submitted").count() == 3
        p, c, d, old, e, half_id = accounts["Table A"], current.id, draft.id, last_year.id, entry.id, half_done.id
        funder_id = accounts["funder@example.org"]

    proposal_token, pr, snap = workshop_world(app, p)
    sections = [Page("respond.section", "visitor", f"/r/{half_token}/{s.code}") for s in INSTRUMENT.sections]
    return [
        Page("main.home", "visitor", "/"),
        Page("main.methodology", "visitor", "/methodology"),
        Page("account.login", "visitor", "/account/login"),
        Page("account.set_password", "visitor", f"/account/set-password/{reset_token}"),
        Page("account.set_password", "visitor", "/account/set-password/not-a-token", 404),
        Page("respond.welcome", "visitor", f"/r/{fresh_token}"),
        *sections,
        Page("respond.review", "visitor", f"/r/{half_token}/review"),
        Page("respond.welcome", "visitor", f"/r/{received_token}"),  # received, not published yet
        Page("respond.welcome", "visitor", f"/r/{published_token}", shows=".charts img"),  # the published portrait
        Page("respond.welcome", "visitor", "/r/this-link-does-not-exist", 404),
        Page(None, "visitor", "/no-such-page", 404),
        Page("campaigns.dashboard", "coordinator", "/coordination/"),
        Page("campaigns.new_campaign", "coordinator", f"/coordination/partnerships/{p}/campaigns/new"),
        Page("campaigns.campaign", "coordinator", f"/coordination/campaigns/{c}"),
        Page("campaigns.campaign", "coordinator", f"/coordination/campaigns/{d}"),  # a draft
        Page("portrait.portrait", "coordinator", f"/coordination/campaigns/{c}/portrait", shows=".charts img"),
        Page("portrait.portrait", "coordinator", f"/coordination/campaigns/{d}/portrait"),  # below k
        Page("portrait.retreat_pack", "coordinator", f"/coordination/campaigns/{c}/retreat-pack", shows=".charts img"),
        Page("portrait.retreat_mode", "coordinator", f"/coordination/campaigns/{c}/retreat-mode", shows=".screen img"),
        Page("portrait.compare", "coordinator", f"/coordination/partnerships/{p}/compare", shows="table.data td"),
        Page("portrait.compare", "coordinator", f"/coordination/partnerships/{p}/compare?campaign={old}&campaign={c}",
             shows=".charts img"),  # the default pair includes the draft below k: no charts
        Page("controversies.register", "coordinator", f"/coordination/partnerships/{p}/controversies",
             shows="table.data td"),
        Page("controversies.edit", "coordinator", f"/coordination/partnerships/{p}/controversies/{e}"),
        Page("campaigns.new_link", "coordinator", f"/coordination/campaigns/{c}/invitations/{half_id}/new-link"),
        Page("campaigns.paper", "coordinator", f"/coordination/campaigns/{c}/paper"),
        Page("campaigns.sharing", "coordinator", f"/coordination/campaigns/{old}/sharing"),
        Page("account.change_password", "coordinator", "/account/password"),
        Page("funder.dashboard", "funder", "/funder/", shows="figure img"),
        Page("admin.accounts_page", "admin", "/admin/accounts", shows="table.data td"),
        Page("admin.account", "admin", f"/admin/accounts/{funder_id}", shows="input[name=partnerships]"),
        Page("admin.funders", "admin", "/admin/funders"),
        Page("admin.audit_log", "admin", "/admin/audit", shows="table.data td"),
        *timeline_pages(p, tl),
        # The timeline workshop (a project of Table A with a snapshot and a pending proposal).
        Page("workshop.index", "coordinator", f"/coordination/partnerships/{p}/workshop"),
        Page("workshop.partnership_profile", "coordinator", f"/coordination/partnerships/{p}/workshop/profile",
             shows=".profile-table td"),
        Page("workshop.project_profile", "coordinator", f"/coordination/partnerships/{p}/projects/{pr}/workshop/profile",
             shows=".prompts li"),
        Page("workshop.grid", "coordinator", f"/coordination/partnerships/{p}/projects/{pr}/workshop/grid",
             shows="fieldset textarea"),
        Page("workshop.grid", "coordinator", f"/coordination/partnerships/{p}/projects/{pr}/workshop/grid?moment=forward",
             shows="fieldset textarea"),
        Page("workshop.pack", "coordinator", f"/coordination/partnerships/{p}/projects/{pr}/workshop/pack",
             shows=".diagram-frame img"),
        Page("workshop.snapshots", "coordinator", f"/coordination/partnerships/{p}/projects/{pr}/workshop/snapshots",
             shows="table.data td"),
        Page("workshop.compare", "coordinator",
             f"/coordination/partnerships/{p}/projects/{pr}/workshop/snapshots/compare?older={snap}&newer=now",
             shows="tr.added"),
        Page("workshop.proposals_page", "coordinator",
             f"/coordination/partnerships/{p}/projects/{pr}/workshop/proposals", shows=".proposal select"),
        Page("propose.propose", "visitor", f"/p/{proposal_token}", shows="form select"),
        Page("propose.propose", "visitor", "/p/not-a-proposal-link", 404),
        Page("retreat.retreat", "coordinator", f"/coordination/campaigns/{c}/retreat", shows="#carry ~ form input[type=checkbox]"),
        Page("retreat.retreat", "coordinator", f"/coordination/campaigns/{d}/retreat"),  # no release: cannot open
        Page("retreat.new_action", "coordinator", f"/coordination/campaigns/{c}/retreat/actions/new"),
        Page("retreat.action", "coordinator", f"/coordination/campaigns/{c}/actions/{plan_ids['current']}",
             shows="#status ~ ol.history li"),
        Page("retreat.action", "coordinator", f"/coordination/campaigns/{old}/actions/{plan_ids['done']}",
             shows="#event ~ form select"),  # a done action, offered to a timeline
        Page("retreat.follow_up", "coordinator", f"/coordination/partnerships/{p}/follow-up", shows="table.data td"),
        Page("retreat.minutes", "coordinator", f"/coordination/campaigns/{c}/retreat/minutes", shows="table.data td"),
    ]


def timeline_pages_world(session, partnership_id: int, controversy_id: int) -> dict:
    """A project with results, a setback, a planned event, an RT03 event tied to the register
    entry, an effect and links; returns the ids the timeline pages need."""
    from partenariat.services import timeline as timelines
    from partenariat.timeline.model import PartialDate

    project = timelines.create_project(session, partnership_id, timelines.ProjectFields(
        "Marché solidaire", "Des fruits et légumes frais dans le quartier.", PartialDate(2019), PartialDate(2024, 6)))
    made = [timelines.add_event(session, project, timelines.EventFields(PartialDate(*when), title, rt, kind, status,
                                                                         controversy_id=controversy))
            for when, title, rt, kind, status, controversy in [
                ((2019, 2), "Premier comité de travail", "RT01", "resultat", "realise", None),
                ((2019, 9), "Désaccord réglé en assemblée ouverte", "RT03", "resultat", "realise", controversy_id),
                ((2020,), "Un bailleur se retire", "RT10", "revers", "realise", None),
                ((2021, 3, 14), "Entente avec l'arrondissement", "RT12", "resultat", "prevu", None)]]
    effect = timelines.add_effect(session, project, timelines.EffectFields(PartialDate(2021, 9), "Un marché chaque samedi"))
    for source, target in [(made[0], made[1]), (made[1], made[3]), (made[2], made[3]), (made[3], effect)]:
        timelines.add_link(session, project, source, target)
    return {"project": project.id, "event": made[1].id, "effect": effect.id}


def timeline_pages(partnership_id: int, tl: dict) -> list[Page]:
    base = f"/coordination/projects/{tl['project']}"
    return [
        Page("timeline.projects", "coordinator", f"/coordination/partnerships/{partnership_id}/projects",
             shows="table.data td"),
        Page("timeline.project", "coordinator", base, shows=".diagram-frame svg"),
        Page("timeline.edit_project", "coordinator", f"{base}/edit"),
        Page("timeline.new_event", "coordinator", f"{base}/events/new", shows=".rt-card input"),
        Page("timeline.edit_event", "coordinator", f"{base}/events/{tl['event']}", shows=".rt-card input:checked"),
        Page("timeline.new_effect", "coordinator", f"{base}/effects/new"),
        Page("timeline.edit_effect", "coordinator", f"{base}/effects/{tl['effect']}"),
        Page("timeline.chain", "coordinator", f"{base}/effects/{tl['effect']}/chain", shows=".diagram-frame svg"),
        Page("timeline.links", "coordinator", f"{base}/links", shows="table.data td"),
        Page("timeline.table", "coordinator", f"{base}/table", shows="table.data td"),
        Page("timeline.rt_cards", "coordinator", "/coordination/rt-cards", shows=".rt-print"),
    ]


def workshop_world(app, partnership_id: int) -> tuple[str, int, int]:
    """A project of the partnership, frozen once then grown by one event, with a grid answer,
    a proposal link and a pending proposal. Returns (proposal token, project id, snapshot id)."""
    from partenariat.models import Partnership
    from partenariat.services import proposals, workshop
    from partenariat.services.timeline import save_timeline
    from partenariat.timeline import model

    events = [model.Event("A", model.PartialDate(2020), "Première rencontre", "RT01"),
              model.Event("B", model.PartialDate(2021, 3), "Subvention obtenue", "RT10"),
              model.Event("C", model.PartialDate(2021, 9), "Subvention perdue", "RT10", kind="revers")]
    with app.app_context():
        session = db()
        partnership = session.get(Partnership, partnership_id)

        def save(extra=()):
            return save_timeline(session, partnership, model.Timeline(
                title="Jardins partagés", events=(*events, *extra),
                effects=(model.Effect("X", model.PartialDate(2022), "Marché ouvert"),),
                links=(model.Link("A", "B"), model.Link("B", "X"))))

        save()
        (project,) = [p for p in workshop.projects(session, partnership_id) if p.title == "Jardins partagés"]
        snapshot = workshop.take_snapshot(session, project, "Retraite 2025")
        save([model.Event("D", model.PartialDate(2023), "Local prêté", "RT11")])
        workshop.save_grid_answers(session, project.id, "back", {"G01": workshop.Answer("Il manquait RT12.", "")})
        token = proposals.new_link(session, project)
        proposals.propose(session, project, proposals.Proposed(model.PartialDate(2019, 5), "Prêt d'un local"))
        session.commit()
        return token, project.id, snapshot.id


def retreats_with_actions(session, last_year_id: int, current_id: int) -> dict[str, int]:
    """2025's retreat with a done action and one under way (targeting an item and a
    dimension), a project to turn the done one into an event; 2026's retreat with a priority
    action and a note. Returns the action ids."""
    from datetime import date

    from partenariat.models import Project
    from partenariat.plan.model import ActionFields, ActionStatus, TargetKind, TargetRef
    from partenariat.services import plan

    plan.open_retreat(session, last_year_id, None)
    done = plan.add_action(session, last_year_id, ActionFields(title="Calendrier commun", expected_rt="RT01"))
    plan.change_status(session, done, ActionStatus.DONE, "Adopté", date(2026, 3, 1))
    going = plan.add_action(session, last_year_id, ActionFields(
        title="Mieux partager l'information", lead="CDC",
        targets=(TargetRef(TargetKind.ITEM, "C01"), TargetRef(TargetKind.DIMENSION, "COND1"))))
    plan.change_status(session, going, ActionStatus.UNDER_WAY, "Démarrée", date(2026, 1, 15))
    session.add(Project(partnership_id=session.get(Campaign, last_year_id).partnership_id, title="Calendrier commun"))
    plan.open_retreat(session, current_id, None)
    current = plan.add_action(session, current_id, ActionFields(title="Accueillir les nouveaux partenaires",
                                                                priority=True, due_on=date(2026, 1, 31)))
    plan.add_note(session, current, "Premier accueil fait", date(2026, 1, 10))
    return {"done": done, "current": current}


def get_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_page_is_visited(app, world):
    missing = get_endpoints(app) - NOT_PAGES - {page.endpoint for page in world}
    assert not missing, f"GET routes that the accessibility test does not visit (add them to world() or NOT_PAGES): {sorted(missing)}"
    stale = NOT_PAGES - get_endpoints(app)
    assert not stale, f"NOT_PAGES names routes that no longer exist: {sorted(stale)}"


# The accounts of tests/conftest.py's ``accounts`` fixture.
ACCOUNTS = {"coordinator": "coord@example.org", "funder": "funder@example.org", "admin": "admin@example.org"}


def sign_in(page, base: str, role: str) -> None:
    if role == "visitor":
        return
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", ACCOUNTS[role])
    page.fill("input[name=password]", "correct horse battery")
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()
    assert "/account/login" not in page.url, f"{role} could not sign in"


AXE = Axe()


def blocking_violations(page, where: str) -> list[str]:
    """One line per element that breaks a serious or critical axe rule on ``page``."""
    lines = []
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            lines.extend(f"{where} {violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))} "
                         f"{node['html'][:160]} — {violation['help']}; {node.get('failureSummary', '')}"
                         for node in violation["nodes"])
    return lines


def test_axe_reports_what_it_should(browser):
    """The check itself: an unlabelled field and pale grey text on white must be reported."""
    page = browser.new_page()
    page.set_content('<!doctype html><html lang="fr"><title>t</title><main><input name="x">'
                     '<p style="color:#bbb;background:#fff">pale</p></main></html>')
    found = "\n".join(blocking_violations(page, "test"))
    page.close()
    assert "label (critical)" in found and "color-contrast (serious)" in found, found


@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_accessibility_violation(world, live_server, browser, size):
    viewport, lang = SIZES[size]
    problems, visited = [], 0
    for role in ("visitor", "coordinator", "funder", "admin"):
        context = browser.new_context(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, live_server, role)
        for target in (p for p in world if p.role == role):
            url = f"{live_server}{target.path}{'&' if '?' in target.path else '?'}lang={lang}"
            response = page.goto(url, wait_until="load")
            # The page itself, not a redirect to the sign-in page or an error in its place.
            assert (response.status, page.url) == (target.status, url), f"{role} {target.path}"
            if target.shows:
                assert page.locator(target.shows).count() > 0, f"{target.path} lacks {target.shows}"
            visited += 1
            problems += blocking_violations(page, f"{target.path} [{role}, {size}, {lang}]")
        context.close()
    assert visited == len(world)
    assert not problems, f"{len(problems)} serious or critical accessibility violations:\n" + "\n".join(problems)
