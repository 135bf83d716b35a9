"""A hostile review of the timeline workshop, partners' event proposals and the retreat's
action plan: a curious coordinator, a coordinator of another table, a funder and a partner
holding a proposal link try to break access, anonymity or the pages. Each test replays one
attack and checks that it fails (docs/privacy.md, docs/timeline.md, docs/plan.md)."""

from __future__ import annotations

import html as markup
import re

import pytest
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Event, EventProposal, Partnership, Project
from partenariat.services import timeline as timelines
from partenariat.services import workshop as workshops
from partenariat.services.timeline import save_timeline
from partenariat.timeline import model
from partenariat.validation import MAX_ID, record_id
from tests import factories
from tests.conftest import csrf_token, login
from tests.factories import committed

LINK = re.compile(r'value="http://localhost/p/([A-Za-z0-9_-]+)"')
# Strings Python's str.isdigit accepts but int() refuses, and ids past what the databases hold.
ODD_IDS = ("²", "٣", "1²", str(MAX_ID + 1), "99999999999999999999")


@pytest.fixture
def project(app, accounts):
    return factories.timeline_project(app, "Table A")  # events A (RT01), B (RT10), effect X


def workshop(accounts, project, page=""):
    return f"/coordination/partnerships/{accounts['Table A']}/projects/{project}/workshop{page}"


def text(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


def make_link(client, accounts, project) -> str:
    login(client, "coord@example.org")
    client.get("/?lang=en")
    token = csrf_token(client.get(workshop(accounts, project, "/proposals")).get_data(as_text=True))
    response = client.post(workshop(accounts, project, "/proposals/link"), data={"csrf_token": token, "action": "new"})
    assert response.status_code == 200
    return LINK.search(response.get_data(as_text=True)).group(1)


def propose(partner, token, **fields):
    page = partner.get(f"/p/{token}")
    return partner.post(f"/p/{token}", data={"csrf_token": csrf_token(page.get_data(as_text=True)), **fields})


# --- ids typed into a query string or a form ----------------------------------------------------


def test_record_id_takes_ascii_digits_within_the_databases_range_only():
    assert [record_id(v) for v in ("12", "0", "", None, "-3", " 4", "1e3", *ODD_IDS)] == [12] + [None] * 11
    assert record_id(str(MAX_ID)) == MAX_ID and record_id(7) == 7 and record_id(MAX_ID + 1) is None


def test_comparing_a_snapshot_named_by_an_odd_id_is_a_message_not_a_crash(app, accounts, project):
    committed(app, lambda session: workshops.take_snapshot(session, session.get(Project, project), "Retraite 2026"))
    client = app.test_client()
    login(client, "coord@example.org")
    client.get("/?lang=en")
    for older in ODD_IDS:
        response = client.get(workshop(accounts, project, "/snapshots/compare"),
                              query_string={"older": older, "newer": "now"})
        assert response.status_code == 400, older
        assert "Choose two snapshots of this project" in text(response)


def test_merging_a_proposal_into_an_odd_event_id_is_a_message_not_a_crash(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    assert propose(partner, token, date="2021", title="Atelier cuisine", rt="").status_code == 302
    with app.app_context():
        proposal_id = db().scalar(select(EventProposal.id))
    page = workshop(accounts, project, "/proposals")
    for event in ODD_IDS:
        form = csrf_token(coordinator.get(page).get_data(as_text=True))
        response = coordinator.post(f"{page}/{proposal_id}", data={"csrf_token": form, "action": "merge",
                                                                     "event": event})
        assert response.status_code == 400, event
        assert "Choose the event of this project to merge the proposal into." in text(response)
    with app.app_context():
        assert db().get(EventProposal, proposal_id).review_status == "pending"


def test_an_id_in_the_address_too_large_for_the_database_is_not_found(app, accounts, project, make_campaign):
    client = app.test_client()
    login(client, "coord@example.org")
    client.get("/?lang=en")
    huge = MAX_ID + 1
    for url in (f"/coordination/partnerships/{accounts['Table A']}/projects/{huge}/workshop/profile",
                f"/coordination/partnerships/{huge}/workshop",
                f"/coordination/campaigns/{huge}/retreat"):
        assert client.get(url).status_code == 404, url


def test_a_new_event_after_an_imported_ref_with_a_superscript_digit(app, accounts):
    """An imported ref such as "E²" passes str.isdigit: the next ref must skip it, not crash."""

    def build(session):
        partnership = session.scalar(select(Partnership).where(Partnership.name == "Table A"))
        save_timeline(session, partnership, model.Timeline(
            title="Jardin", events=(model.Event("E²", model.PartialDate(2020), "Ouverture", "RT01"),
                                    model.Event("E07", model.PartialDate(2021), "Récolte", "RT10"))))
        project = session.scalar(select(Project).where(Project.title == "Jardin"))
        event = timelines.add_event(session, project, timelines.EventFields(
            date=model.PartialDate(2022), title="Fête", rt="RT11", kind="resultat", status="realise"))
        return event.ref

    assert committed(app, build) == "E08"


# --- a coordinator of Table B against Table A's objects ----------------------------------------

SWEPT = ("workshop", "retreat", "timeline")


def table_a_objects(app, accounts) -> dict:
    """Table A: a released campaign with a retreat and an action, a project with its events,
    a snapshot and a pending proposal; every id a route of the swept blueprints takes."""
    from partenariat.plan.model import ActionFields
    from partenariat.services import plan
    from partenariat.services import proposals as proposal_service

    campaign_id = factories.campaign_with_responses(app, "Table A", 2025, n=3)
    project_id = factories.timeline_project(app, "Table A")

    def build(session):
        plan.open_retreat(session, campaign_id, None)
        action_id = plan.add_action(session, campaign_id, ActionFields(title="Action de A"))
        project = session.get(Project, project_id)
        snapshot = workshops.take_snapshot(session, project, "Retraite A")
        proposal = proposal_service.propose(session, project, proposal_service.Proposed(
            model.PartialDate(2021), "Proposition de A"))
        event = session.scalar(select(Event).where(Event.project_id == project_id, Event.ref == "A"))
        return {"campaign_id": campaign_id, "partnership_id": accounts["Table A"], "project_id": project_id,
                "action_id": action_id, "snapshot_id": snapshot.id, "proposal_id": proposal.id,
                "event_id": event.id, "reading_id": plan.retreat_view(session, campaign_id).points[0].reading_id
                if plan.retreat_view(session, campaign_id).points else 1,
                "effect_id": 1, "link_id": 1, "dimension": "conditions", "fmt": "svg", "moment": "back"}

    return committed(app, build)


def fill(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule)


def test_table_b_reaches_none_of_table_a_s_plan_timeline_or_workshop(app, accounts):
    ids = table_a_objects(app, accounts)
    before = stored_state(app)
    client = app.test_client()
    login(client, "other@example.org")
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    swept = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in SWEPT or not set(rule.arguments) & {"partnership_id", "campaign_id",
                                                                                   "project_id"}:
            continue
        url = fill(rule.rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            assert response.status_code == 404, (method, url, response.status_code)
            swept += 1
    assert swept > 40
    assert stored_state(app) == before


def stored_state(app) -> tuple:
    """What Table A's records hold, to show that nothing changed."""
    from partenariat.models import Action, ProposalLink, Reading, Retreat, TimelineSnapshot

    with app.app_context():
        session = db()
        return tuple(sorted(repr(row) for row in (
            *session.execute(select(Action.id, Action.title, Action.status, Action.event_id)).all(),
            *session.execute(select(Reading.id, Reading.consensus, Reading.reasons)).all(),
            *session.execute(select(Retreat.id, Retreat.method, Retreat.decisions)).all(),
            *session.execute(select(EventProposal.id, EventProposal.review_status)).all(),
            *session.execute(select(Event.id, Event.title, Event.description)).all(),
            *session.execute(select(TimelineSnapshot.id, TimelineSnapshot.label)).all(),
            *session.execute(select(ProposalLink.project_id, ProposalLink.token_hash)).all())))


def table_b_objects(app, accounts) -> dict:
    from partenariat.plan.model import ActionFields
    from partenariat.services import plan
    from partenariat.services import proposals as proposal_service

    campaign_id = factories.campaign_with_responses(app, "Table B", 2025, n=3)
    project_id = factories.timeline_project(app, "Table B", "Jardin de B")

    def build(session):
        plan.open_retreat(session, campaign_id, None)
        action_id = plan.add_action(session, campaign_id, ActionFields(title="Action de B", expected_rt="RT10"))
        plan.change_status(session, action_id, "realisee", "Fait", model.PartialDate(2025, 6, 1).first_day)
        proposal = proposal_service.propose(session, session.get(Project, project_id), proposal_service.Proposed(
            model.PartialDate(2021), "Proposition de B"))
        return {"campaign_id": campaign_id, "partnership_id": accounts["Table B"], "project_id": project_id,
                "action_id": action_id, "proposal_id": proposal.id}

    return committed(app, build)


def test_table_b_s_own_pages_with_table_a_s_child_ids_are_not_found(app, accounts):
    a = table_a_objects(app, accounts)
    b = table_b_objects(app, accounts)
    before = stored_state(app)
    client = app.test_client()
    login(client, "other@example.org")
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    children = {"action_id", "proposal_id", "event_id", "reading_id"}
    swept = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in SWEPT or not set(rule.arguments) & children:
            continue
        ids = {**a, **{key: b[key] for key in ("campaign_id", "partnership_id", "project_id")}}
        url = fill(rule.rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            assert response.status_code == 404, (method, url, response.status_code)
            swept += 1
    assert swept >= 8
    assert stored_state(app) == before


def test_table_b_s_forms_refuse_table_a_s_snapshot_project_controversy_and_event(app, accounts):
    from partenariat.models import Action, ActionTarget, Controversy

    a = table_a_objects(app, accounts)
    b = table_b_objects(app, accounts)

    def a_controversy(session):
        entry = Controversy(partnership_id=a["partnership_id"], title="Conflit de A")
        session.add(entry)
        session.flush()
        return entry.id

    controversy_a = committed(app, a_controversy)
    before = stored_state(app)
    client = app.test_client()
    login(client, "other@example.org")
    client.get("/?lang=en")
    b_project = f"/coordination/partnerships/{b['partnership_id']}/projects/{b['project_id']}/workshop"

    compared = client.get(f"{b_project}/snapshots/compare", query_string={"older": a["snapshot_id"], "newer": "now"})
    assert compared.status_code == 400 and "Retraite A" not in text(compared)

    def post(url, page, data):
        form = csrf_token(client.get(page).get_data(as_text=True))
        return client.post(url, data={"csrf_token": form, **data})

    merged = post(f"{b_project}/proposals/{b['proposal_id']}", f"{b_project}/proposals",
                  {"action": "merge", "event": a["event_id"]})
    assert merged.status_code == 400 and "Choose the event of this project" in text(merged)

    action_b = f"/coordination/campaigns/{b['campaign_id']}/actions/{b['action_id']}"
    to_a = post(f"{action_b}/event", action_b, {"event-project": a["project_id"]})
    assert to_a.status_code == 400
    targeted = post(action_b, action_b, {"action-title": "Action de B", "action-targets": f"controversy:{controversy_a}"})
    assert targeted.status_code == 400
    carried = post(f"/coordination/campaigns/{b['campaign_id']}/retreat/carry-forward",
                   f"/coordination/campaigns/{b['campaign_id']}/retreat", {"carry-actions": a["action_id"]})
    assert carried.status_code == 400

    assert stored_state(app) == before
    with app.app_context():
        assert db().scalar(select(ActionTarget.id).where(ActionTarget.controversy_id == controversy_a)) is None
        assert db().scalar(select(Action.id).where(Action.carried_from_id == a["action_id"])) is None
        assert db().get(Action, b["action_id"]).event_id is None
    # The same form with Table B's own project goes through: the refusal above was the project's.
    assert post(f"{action_b}/event", action_b, {"event-project": b["project_id"]}).status_code == 302
    with app.app_context():
        assert db().get(Action, b["action_id"]).event_id is not None


# --- the RT profile's "perceived" column ------------------------------------------------------


def perceived_part(client, accounts) -> str:
    page = text(client.get(f"/coordination/partnerships/{accounts['Table A']}/workshop/profile"))
    start = page.index("<main")
    return re.sub(r"<input[^>]*csrf_token[^>]*>", "", page[start:page.index("</main>")])


def test_perceived_scores_show_nothing_before_a_release_and_never_move_with_waiting_responses(app, accounts, project):
    from partenariat.models import Campaign
    from tests.factories import campaign, release, responses

    client = app.test_client()
    login(client, "coord@example.org")
    client.get("/?lang=en")

    def unreleased(session):
        made = campaign(session, "Table A", 2025)
        responses(session, made, 4, value="A")  # four responses, no release yet
        return made.id

    first = committed(app, unreleased)
    page = perceived_part(client, accounts)
    assert "perceived scores appear with the first release" in page and "Perceived in the survey" not in page

    committed(app, lambda session: release(session, session.get(Campaign, first)))
    released = perceived_part(client, accounts)
    assert "release 1, 4 responses" in released and "100.0" in released

    # A waiting response answering C everywhere, then a newer campaign with two unreleased
    # responses: nothing of them may show, and the page must be the same as before.
    committed(app, lambda session: responses(session, session.get(Campaign, first), 1, value="C"))

    def newer(session):
        made = campaign(session, "Table A", 2026)
        responses(session, made, 2, value="C")

    committed(app, newer)
    assert perceived_part(client, accounts) == released


# --- bad input posted directly --------------------------------------------------------------


def test_a_nul_character_in_a_proposal_or_a_note_is_dropped_not_a_crash_on_postgresql(app, accounts, project):
    """PostgreSQL refuses NUL in text: a forged or pasted one was a 500 there (SQLite stored it)."""
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    sent = propose(partner, token, date="2019", title="Atelier\x00 cuisine", description="Avec\x00 la Caisse", rt="")
    assert sent.status_code == 302
    with app.app_context():
        assert db().execute(select(EventProposal.title, EventProposal.description)).one() == ("Atelier cuisine",
                                                                                               "Avec la Caisse")
    page = workshop(accounts, project, "/snapshots")
    found = coordinator.get(page + "/compare", query_string={"older": "1\x00", "newer": "now"})
    assert found.status_code == 400
    form = csrf_token(coordinator.get(page).get_data(as_text=True))
    assert coordinator.post(page, data={"csrf_token": form, "label": "Retraite\x00 2026"}).status_code == 302
    with app.app_context():
        from partenariat.models import TimelineSnapshot

        assert db().scalar(select(TimelineSnapshot.label)) == "Retraite 2026"


def test_a_proposal_dated_month_or_day_zero_is_refused_not_filed_under_january(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    partner.get("/?lang=en")
    for date in ("2019-00", "2019-05-00", "2019-00-10"):
        refused = propose(partner, token, date=date, title="Atelier", rt="")
        assert refused.status_code == 400, date
        assert "Write the date as 2019, 2019-05 or 2019-05-14 (a real date)." in text(refused)
    with app.app_context():
        assert db().scalar(select(EventProposal.id)) is None
    with pytest.raises(ValueError):
        model.PartialDate(2019, 0)


def test_a_shared_proposal_link_cannot_flood_the_coordinator_past_the_cap(app, accounts, project, monkeypatch):
    """The link needs no account and is shared: past PENDING_CAP waiting proposals it refuses
    more, with a message and what was typed kept; once the coordinator reads them, it works again."""
    from partenariat.services import proposals as proposal_service

    monkeypatch.setattr(proposal_service, "PENDING_CAP", 3)
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    partner.get("/?lang=en")
    for n in range(3):
        assert propose(partner, token, date="2020", title=f"Proposition {n}", rt="").status_code == 302
    refused = propose(partner, token, date="2020", title="Une de trop", rt="")
    assert refused.status_code == 400
    assert "many proposals waiting to be read: yours is not sent" in text(refused)
    assert 'value="Une de trop"' in text(refused)

    def dismiss_one(session):
        proposal_service.dismiss(session, proposal_service.pending(session, project)[0])

    committed(app, dismiss_one)
    assert propose(partner, token, date="2020", title="Une de trop", rt="").status_code == 302
    with app.app_context():
        assert sorted(db().scalars(select(EventProposal.title).where(EventProposal.review_status == "pending"))) == [
            "Proposition 1", "Proposition 2", "Une de trop"]


# --- the plan in spreadsheets ---------------------------------------------------------------

FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"ok\")", "+1+1", "-2+3", "@SUM(A1)")


def test_formulas_typed_into_the_plan_stay_text_in_both_workbooks(app, accounts):
    import io

    from openpyxl import load_workbook

    from partenariat.plan.model import ActionFields
    from partenariat.services import exports, plan

    campaign_id = factories.campaign_with_responses(app, "Table A", 2025, n=3)

    def build(session):
        plan.open_retreat(session, campaign_id, None)
        plan.save_retreat(session, campaign_id, held_on=None, method="compiled", participants="\n".join(FORMULAS),
                          decisions=FORMULAS[0])
        action_id = plan.add_action(session, campaign_id, ActionFields(title=FORMULAS[0], lead=FORMULAS[1],
                                                                       how_we_will_know=FORMULAS[2]))
        plan.add_note(session, action_id, FORMULAS[3], model.PartialDate(2025, 6, 1).first_day)
        return (exports.coordinator_workbook(session, campaign_id, "en"),
                exports.plan_file(session, campaign_id, "xlsx", "en"))

    for data in committed(app, build):
        book = load_workbook(io.BytesIO(data))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                 if isinstance(cell.value, str) and any(f in cell.value for f in FORMULAS)]
        assert all(any(f in c.value for c in cells) for f in FORMULAS)
        assert any(c.value == FORMULAS[0] for c in cells)  # the action's title, alone in its cell
        assert [c.coordinate for c in cells if c.data_type != "s"] == []


# --- CSRF ------------------------------------------------------------------------------------


def test_no_post_of_the_plan_timeline_workshop_or_proposal_pages_acts_without_its_csrf_token(app, accounts):
    """A page elsewhere makes the signed-in coordinator's browser post to every form (and a
    partner's to the proposal link): nothing changes."""
    ids = table_a_objects(app, accounts)
    client = app.test_client()
    token = make_link(client, accounts, ids["project_id"])
    ids["token"] = token
    before = stored_state(app)
    posted = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in (*SWEPT, "propose") or "POST" not in rule.methods:
            continue
        url = fill(rule.rule, ids)
        data = {"action": "close", "label": "x", "title": "x", "date": "2020", "event-project": ids["project_id"],
                "carry-actions": ids["action_id"], "retreat-method": "consensus", "action-title": "Piratée",
                "note-text": "x", "note-noted_on": "2025-01-01", "status-status": "en_cours",
                "status-noted_on": "2025-01-01"}
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 404), (url, response.status_code)
        posted += 1
    assert posted >= 15
    assert stored_state(app) == before
    with app.app_context():
        assert db().scalar(select(EventProposal.id).where(EventProposal.title == "x")) is None


# --- the retreat, its minutes and what moved, against waiting responses ------------------------


def main_part(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = text(response)
    return re.sub(r"<input[^>]*csrf_token[^>]*>", "", page[page.index("<main"):page.index("</main>")])


def test_waiting_responses_change_nothing_on_the_retreat_its_minutes_or_what_moved(app, accounts):
    """Dave sends after the release: the coordinator reloads every page of the plan and
    compares. Nothing may differ until a release of at least k more responses."""
    from partenariat.models import Campaign
    from partenariat.plan.model import ActionFields, TargetKind, TargetRef
    from partenariat.services import plan
    from tests.factories import campaign, release, responses

    def build(session):
        earlier = campaign(session, "Table A", 2025)
        responses(session, earlier, 3, value="B")
        release(session, earlier)
        plan.open_retreat(session, earlier.id, None)
        plan.add_action(session, earlier.id, ActionFields(title="Registre commun", targets=(
            TargetRef(TargetKind.ITEM, "C02"), TargetRef(TargetKind.DIMENSION, "COND2"))))
        later = campaign(session, "Table A", 2026)
        responses(session, later, 2, value="A")  # no release yet
        return earlier.id, later.id

    earlier, later = committed(app, build)
    client = app.test_client()
    login(client, "coord@example.org")
    client.get("/?lang=en")
    urls = (f"/coordination/campaigns/{earlier}/retreat", f"/coordination/campaigns/{earlier}/retreat/minutes",
            f"/coordination/campaigns/{later}/portrait", f"/coordination/campaigns/{later}/retreat-pack",
            f"/coordination/partnerships/{accounts['Table A']}/follow-up")
    first = [main_part(client, url) for url in urls]
    assert "The later campaign has no release yet." in first[2]
    assert "100.0" not in first[2]  # the two waiting A responses would score 100

    # One more response to each campaign, waiting: every page is the same.
    committed(app, lambda session: [responses(session, session.get(Campaign, c), 1, value="C") for c in (earlier, later)])
    assert [main_part(client, url) for url in urls] == first

    # The later campaign's first release (3 responses: the two A and the C): the movement now
    # reads it, and the earlier retreat still reads its own release 1 only.
    committed(app, lambda session: release(session, session.get(Campaign, later)))
    again = [main_part(client, url) for url in urls]
    assert again[:2] == first[:2]
    assert "The later campaign has no release yet." not in again[2]
    with app.app_context():
        moved = plan.last_year(db(), later).actions[0].movements
        # C02 before: 3 × B = 50.0; after: A, A, C = (100 + 100 + 0) / 3 = 66.7; the earlier
        # campaign's fourth response (C, waiting) never counts.
        item = next(m for m in moved if m.target.code == "C02")
        assert (round(float(item.before), 1), round(float(item.after), 1)) == (50.0, 66.7)


ODD_VALUES = ("", " ", "²", "-1", "99999999999999999999", "2025-02-30", "99999-01-01", "0000-00-00", "bogus",
              "controversy:²", "item:ZZ99", "x" * 5000, "<script>alert(1)</script>", "\u202e\ufeff")
FIELDS = ("label", "title", "date", "description", "rt", "ref", "event", "action", "moment",
          "retreat-held_on", "retreat-method", "retreat-participants", "retreat-decisions",
          "action-title", "action-targets", "action-expected_rt", "action-lead", "action-start_on", "action-due_on",
          "action-how_we_will_know", "status-status", "status-noted_on", "status-note", "note-noted_on", "note-text",
          "event-project", "carry-actions", "lesson_B1", "avenue_B1")


def test_odd_values_posted_to_every_form_are_messages_never_a_crash(app, accounts):
    ids = table_a_objects(app, accounts)
    client = app.test_client()
    ids["token"] = make_link(client, accounts, ids["project_id"])
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    posted = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in (*SWEPT, "propose") or "POST" not in rule.methods:
            continue
        url = fill(rule.rule, ids)
        for value in ODD_VALUES:
            response = client.post(url, data={"csrf_token": token, **dict.fromkeys(FIELDS, value)})
            assert response.status_code < 500, (url, value[:20], response.status_code)
            posted += 1
    assert posted > 200


def test_the_proposal_page_stays_out_of_caches_and_its_token_out_of_the_log(app, accounts, project, caplog):
    """On a shared computer, the back button must not show the next person what a partner
    proposed; and a dropped NUL is logged without the path (it carries the link's token)."""
    import logging

    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    page = partner.get(f"/p/{token}")
    assert page.headers["Cache-Control"] == "no-store"
    with caplog.at_level(logging.INFO, logger="partenariat"):
        refused = partner.post(f"/p/{token}", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                                    "date": "2019\x00-13", "title": "Atelier"})
    assert refused.status_code == 400 and refused.headers["Cache-Control"] == "no-store"
    assert "NUL characters dropped" in caplog.text and token not in caplog.text


def test_a_proposal_accepted_under_a_ref_that_would_break_the_timeline_file_is_refused(app, accounts, project):
    """leads_to separates refs with ";": an event named "P;1" could be exported but never re-imported."""
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    coordinator.get("/?lang=en")
    assert propose(partner, token, date="2021", title="Atelier cuisine", rt="").status_code == 302
    with app.app_context():
        proposal_id = db().scalar(select(EventProposal.id))
    page = workshop(accounts, project, "/proposals")
    for ref in ("P;1", "P\t1", "P\n1"):
        form = csrf_token(coordinator.get(page).get_data(as_text=True))
        refused = coordinator.post(f"{page}/{proposal_id}", data={"csrf_token": form, "action": "accept", "ref": ref,
                                                                   "rt": "RT10"})
        assert refused.status_code == 400 and "A ref is one line without “;”" in text(refused), repr(ref)
    form = csrf_token(coordinator.get(page).get_data(as_text=True))
    assert coordinator.post(f"{page}/{proposal_id}", data={"csrf_token": form, "action": "accept", "ref": "P1",
                                                           "rt": "RT10"}).status_code == 302
    with app.app_context():
        assert db().scalar(select(Event.title).where(Event.ref == "P1")) == "Atelier cuisine"
