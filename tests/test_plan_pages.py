"""The retreat record and the action plan on pages (SPEC §9, issue 14), through the test
client: what is saved shows, bad input keeps what was typed with a message, another
partnership's objects are 404, funders are refused, and the pages never show more than the
release the retreat read. Hand-computed; the arithmetic is in the comments."""

from __future__ import annotations

import html as markup
import re
from datetime import date, timedelta

import pytest

from partenariat.database import db
from partenariat.models import Campaign, Project
from partenariat.plan.model import ActionFields, ActionStatus, TargetKind, TargetRef
from partenariat.services import plan
from partenariat.services import portrait as portraits
from partenariat.statuses import CampaignStatus
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import campaign, committed, release, responses

ITEMS = list(load_instrument().items)
C02 = load_instrument().items["C02"]


def four_weak_on_c02(session, year: int, value_c02: str = "C", partnership: str = "Table A", **options):
    """Four responses answering B everywhere and ``value_c02`` to C02, released. With C: C02
    scores 0 (4 × C) and is weak, nothing else is flagged, so the agenda has one point."""
    made = campaign(session, partnership, year, **options)
    responses(session, made, 4, answers=dict.fromkeys(ITEMS, "B") | {"C02": value_c02})
    release(session, made)
    return made


@pytest.fixture
def opened(app, accounts):
    """Table A 2025 with its retreat opened on release 1; then two more responses answering A
    to C02 that are in no release (they must never show)."""

    def build(session):
        made = four_weak_on_c02(session, 2025, status=CampaignStatus.OPEN)
        plan.open_retreat(session, made.id, None)
        responses(session, made, 2, answers=dict.fromkeys(ITEMS, "A"))
        return made.id

    return committed(app, build)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return text(response)


def text(response) -> str:
    """The page as a reader sees it (entities decoded: l'action reads l'action)."""
    return markup.unescape(response.get_data(as_text=True))


def post(client, url: str, data: dict, form_page: str | None = None):
    html = page(client, form_page or url)
    return client.post(url, data={"csrf_token": csrf_token(html), **data})


def view(app, campaign_id):
    with app.app_context():
        return plan.retreat_view(db(), campaign_id)


def add(app, campaign_id, title="Tenir un registre commun", **fields):
    def build(session):
        return plan.add_action(session, campaign_id, ActionFields(title=title, **fields))

    return committed(app, build)


def test_the_retreat_opens_only_with_a_release(app, client, accounts):
    campaign_id = committed(app, lambda s: (c := campaign(s, "Table A", 2026), responses(s, c, 2))[0].id)
    login(client, "coord@example.org")
    html = page(client, f"/coordination/campaigns/{campaign_id}/retreat")
    assert "faites la première diffusion" in html and "Ouvrir le lac-à-l'épaule" not in html
    refused = post(client, f"/coordination/campaigns/{campaign_id}/retreat/open", {},
                   f"/coordination/campaigns/{campaign_id}/retreat")
    assert refused.status_code == 302
    assert view(app, campaign_id) is None
    assert 'role="alert"' in page(client, f"/coordination/campaigns/{campaign_id}/retreat")
    # Nothing to print either: the minutes lead back to the retreat page.
    minutes = client.get(f"/coordination/campaigns/{campaign_id}/retreat/minutes")
    assert minutes.status_code == 302 and minutes.headers["Location"].endswith(f"/campaigns/{campaign_id}/retreat")
    # Nor an action: the form leads back there too, and one sent anyway comes back as typed.
    new = f"/coordination/campaigns/{campaign_id}/retreat/actions/new"
    led = client.get(new)
    assert led.status_code == 302 and led.headers["Location"].endswith(f"/campaigns/{campaign_id}/retreat")
    assert "Ouvrez d'abord le lac-à-l'épaule" in page(client, f"/coordination/campaigns/{campaign_id}/retreat")
    sent = post(client, new, {"action-title": "Ouvrir un registre"}, f"/coordination/campaigns/{campaign_id}/retreat")
    assert sent.status_code == 409
    assert 'value="Ouvrir un registre"' in text(sent) and "Ouvrez d'abord le lac-à-l'épaule" in text(sent)
    assert view(app, campaign_id) is None


def test_opening_loads_the_point_with_the_release_distribution_only(app, client, opened):
    login(client, "coord@example.org")
    html = page(client, f"/coordination/campaigns/{opened}/retreat")
    # Release 1: four C on C02 (score 0). The two later responses (A) are in no release.
    assert "diffusion 1" in html
    point = html[html.index("Point 1 ·"):html.index('id="actions"')]
    assert C02.statement.fr in point
    assert "A 0 · B 0 · C 4 · ? 0" in point
    assert "A 2" not in point


def test_a_reading_is_saved_shown_and_changes_no_score(app, client, opened):
    login(client, "coord@example.org")
    (point,) = view(app, opened).points
    url = f"/coordination/campaigns/{opened}/retreat/readings/{point.reading_id}"
    prefix = f"reading-{point.reading_id}-"
    response = post(client, url, {prefix + "consensus": "B", prefix + "reasons": "Le partage varie selon les dossiers",
                                  prefix + "dissent": "La Ville voit plutôt C", prefix + "to_work_on": "y"},
                    f"/coordination/campaigns/{opened}/retreat")
    assert response.status_code == 302 and f"#reading-{point.reading_id}" in response.headers["Location"]
    html = page(client, response.headers["Location"])
    assert "Le partage varie selon les dossiers" in html and "La Ville voit plutôt C" in html
    assert re.search(rf'id="{prefix}consensus-1"[^>]*checked|checked[^>]*id="{prefix}consensus-1"', html)
    (saved,) = view(app, opened).points
    assert (saved.consensus, saved.to_work_on) == ("B", True)
    # The group said B (50); the release still says four C: C02 scores 0, the campaign 4 responses.
    with app.app_context():
        from partenariat.models import Campaign

        built = portraits.build(db(), db().get(Campaign, opened))
        assert built.portrait.items["C02"].score == 0 and built.portrait.n_submitted == 4


def test_a_bad_reading_keeps_what_was_typed(app, client, opened):
    login(client, "coord@example.org")
    (point,) = view(app, opened).points
    prefix = f"reading-{point.reading_id}-"
    response = post(client, f"/coordination/campaigns/{opened}/retreat/readings/{point.reading_id}",
                    {prefix + "consensus": "Z", prefix + "reasons": "Texte à garder"},
                    f"/coordination/campaigns/{opened}/retreat")
    assert response.status_code == 400
    html = text(response)
    assert "Texte à garder" in html
    section = html[html.index(f'id="reading-{point.reading_id}"'):]
    assert "La lecture n'a pas été enregistrée" in section[:section.index("</section>")]
    assert view(app, opened).points[0].reasons == ""


def test_the_retreat_record_is_saved_and_a_bad_date_keeps_the_text(app, client, opened):
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{opened}/retreat"
    bad = post(client, url, {"retreat-held_on": "31/02/2026", "retreat-method": "compiled",
                             "retreat-participants": "CDC des Érables\nVille", "retreat-decisions": "Se revoir en mars"})
    assert bad.status_code == 400
    html = text(bad)
    assert "CDC des Érables\nVille" in html and "Se revoir en mars" in html and 'aria-invalid="true"' in html
    good = post(client, url, {"retreat-held_on": "2026-02-12", "retreat-method": "compiled",
                              "retreat-participants": "CDC des Érables\nVille", "retreat-decisions": "Se revoir en mars"})
    assert good.status_code == 302
    saved = view(app, opened)
    assert (saved.held_on, saved.participants, saved.decisions) == (date(2026, 2, 12), "CDC des Érables\nVille",
                                                                      "Se revoir en mars")


def test_an_action_is_added_with_named_targets_and_bad_input_is_kept(app, client, opened):
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{opened}/retreat/actions/new"
    form = page(client, url)
    # Targets are offered by their names.
    assert f"C02 · {C02.statement.fr}" in form and "RT01 · " in form
    bad = post(client, url, {"action-title": "", "action-lead": "CDC des Érables", "action-start_on": "2026-05-01",
                             "action-due_on": "2026-03-01", "action-targets": ["item:C02"]})
    assert bad.status_code == 400
    html = text(bad)
    assert "Donnez un titre à l'action." in html and "L'échéance précède la date de début." in html
    assert 'value="CDC des Érables"' in html and re.search(r'value="item:C02" checked', html)
    good = post(client, url, {"action-title": "Tenir un registre commun", "action-lead": "CDC des Érables",
                              "action-targets": ["item:C02", "dimension:COND1"], "action-expected_rt": "RT01",
                              "action-due_on": "2026-12-01", "action-how_we_will_know": "Le registre existe"})
    assert good.status_code == 302
    (action,) = view(app, opened).actions
    assert (action.title, action.lead, action.expected_rt, action.due_on) == ("Tenir un registre commun",
                                                                               "CDC des Érables", "RT01", date(2026, 12, 1))
    assert {(t.kind, t.code) for t in action.targets} == {("item", "C02"), ("dimension", "COND1")}
    detail = page(client, f"/coordination/campaigns/{opened}/actions/{action.id}")
    assert f"C02 · {C02.statement.fr}" in detail and "Le registre existe" in detail


def test_a_bad_transition_says_why_and_keeps_the_note(app, client, opened):
    action_id = add(app, opened)
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{opened}/actions/{action_id}"
    going = post(client, url + "/status", {"status-status": "en_cours", "status-noted_on": "2026-04-02",
                                           "status-note": "Registre ouvert"}, url)
    assert going.status_code == 302 and going.headers["Location"].endswith("#status")
    (action,) = view(app, opened).actions
    assert action.status == ActionStatus.UNDER_WAY
    assert [(n.noted_on, n.status, n.text) for n in action.notes] == [(date(2026, 4, 2), ActionStatus.UNDER_WAY,
                                                                      "Registre ouvert")]
    # Under way cannot go back to planned: the message sits by the status form, the note stays.
    refused = post(client, url + "/status", {"status-status": "prevue", "status-noted_on": "2026-04-03",
                                             "status-note": "On recommence"}, url)
    assert refused.status_code == 400
    shown = text(refused)
    status_part = shown[shown.index('id="status"'):shown.index('id="edit"')]
    assert "Une action ne peut pas passer de « en cours » à « prévue, pas commencée »" in status_part
    assert "On recommence" in status_part and 'value="2026-04-03"' in status_part
    assert view(app, opened).actions[0].status == ActionStatus.UNDER_WAY
    # The page itself offers only where an action under way may go (in the list's order).
    select = re.search(r'<select[^>]*name="status-status"[^>]*>(.*?)</select>', page(client, url), re.S).group(1)
    assert re.findall(r'value="([a-z_]+)"', select) == ["realisee", "reportee", "abandonnee"]
    # Done is final: the page no longer offers a status change.
    committed(app, lambda s: plan.change_status(s, action_id, ActionStatus.DONE, "Fait", date(2026, 5, 1)))
    final = page(client, url)
    assert "status-status" not in final and "Registre ouvert" in final and "Fait" in final


def test_past_five_priority_actions_the_page_warns(app, client, opened):
    for n in range(5):
        add(app, opened, title=f"Priorité {n}", priority=True)
    login(client, "coord@example.org")
    assert "plus que 5" not in page(client, f"/coordination/campaigns/{opened}/retreat")
    add(app, opened, title="Priorité 5", priority=True)
    assert "6 actions sont prioritaires, plus que 5" in page(client, f"/coordination/campaigns/{opened}/retreat")


@pytest.fixture
def two_years(app, opened):
    """2025 (C02 all C, score 0) with three actions: one done, one under way targeting C02
    and COND1, one planned and overdue; 2026 (C02 all A, score 100) released, retreat open,
    and two later responses answering C everywhere that wait for a release."""

    def build(session):
        done = plan.add_action(session, opened, ActionFields(title="Action faite", expected_rt="RT01"))
        plan.change_status(session, done, ActionStatus.DONE, "Fait", date.today())
        going = plan.add_action(session, opened, ActionFields(
            title="Action en cours", targets=(TargetRef(TargetKind.ITEM, "C02"), TargetRef(TargetKind.DIMENSION, "COND1"))))
        plan.change_status(session, going, ActionStatus.UNDER_WAY, "Démarrée", date(2025, 6, 1))
        plan.add_action(session, opened, ActionFields(title="Action en retard", due_on=date.today() - timedelta(days=3)))
        later = four_weak_on_c02(session, 2026, value_c02="A")
        plan.open_retreat(session, later.id, None)
        responses(session, later, 2, answers=dict.fromkeys(ITEMS, "C"))  # in no release: never shown
        return dict(before=opened, after=later.id, done=done, going=going)

    return committed(app, build)


def test_next_year_shows_what_moved_on_the_portrait_and_in_the_pack(app, client, two_years):
    login(client, "coord@example.org")
    for url in (f"/coordination/campaigns/{two_years['after']}/portrait",
                f"/coordination/campaigns/{two_years['after']}/retreat-pack"):
        html = page(client, url)
        section = html[html.index("Ce que nous avons décidé l'an dernier"):]
        row = section[section.index("Action en cours"):]
        # C02: 0 at 2025's release 1 (four C), 100 at 2026's (four A): +100; the two waiting
        # responses (C) would make it 66.7 if they were counted. COND1 (C01, C02): 25 → 75.
        c02 = row[row.index(f"C02 · {C02.statement.fr}"):]
        assert re.search(r"<td>0,0</td><td>100,0</td><td>\+100,0", c02[:400]), c02[:400]
        cond1 = row[row.index("COND1 · "):]
        assert re.search(r"<td>25,0</td><td>75,0</td><td>\+50,0", cond1[:400]), cond1[:400]
        assert "À lire avec prudence" not in section  # 4 responses in each release


def test_a_movement_between_releases_of_very_different_sizes_is_read_with_care(app, client, two_years):
    """4 responses in 2025's release 1, 4 + 2 waiting + 5 more = 11 in 2026's release 2:
    2 × 4 < 11, as the year comparison's rule says, so the look-back warns and gives both."""

    def grow(session):
        later = session.get(Campaign, two_years["after"])
        responses(session, later, 5, answers=dict.fromkeys(ITEMS, "A"))
        release(session, later)

    committed(app, grow)
    login(client, "coord@example.org")
    for url in (f"/coordination/campaigns/{two_years['after']}/portrait",
                f"/coordination/campaigns/{two_years['after']}/retreat-pack"):
        section = page(client, url)
        section = section[section.index("Ce que nous avons décidé l'an dernier"):]
        caution = section[section.index("À lire avec prudence"):][:700]
        assert "Diffusion 1 de 2025 : 4 réponses." in caution and "Diffusion 2 de 2026 : 11 réponses." in caution


def test_unfinished_actions_are_carried_forward_with_their_history(app, client, two_years):
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{two_years['after']}/retreat"
    html = page(client, url)
    carry = html[html.index('id="carry"'):]
    assert "Action en cours" in carry and "Action en retard" in carry and "Action faite" not in carry
    refused = client.post(url + "/carry-forward", data={"csrf_token": csrf_token(html)})
    assert refused.status_code == 400 and "Cochez au moins une action" in text(refused)
    done = client.post(url + "/carry-forward", data={"csrf_token": csrf_token(html), "carry-actions": [str(two_years["going"])]})
    assert done.status_code == 302
    (carried,) = view(app, two_years["after"]).actions
    assert carried.title == "Action en cours" and carried.carried_from[0].action_id == two_years["going"]
    detail = page(client, f"/coordination/campaigns/{two_years['after']}/actions/{carried.id}")
    assert "Démarrée" in detail and "2025" in detail  # last year's note travels with it
    # What is carried leaves the list; the rest stays offered.
    carry = page(client, url)[page(client, url).index('id="carry"'):]
    assert "Action en retard" in carry and "Action en cours" not in carry


def test_the_follow_up_page_shows_overdue_and_done_this_year(app, client, two_years, accounts):
    login(client, "coord@example.org")
    html = page(client, f"/coordination/partnerships/{accounts['Table A']}/follow-up")
    overdue = html[html.index('id="overdue"'):html.index('id="done"')]
    assert "Action en retard" in overdue and "Action en cours" not in overdue
    done = html[html.index('id="done"'):html.index('id="by-status"')]
    assert "Action faite" in done and "Action en retard" not in done


def test_a_done_action_becomes_a_timeline_event_once(app, client, two_years, accounts):
    def project(session):
        session.add(Project(partnership_id=accounts["Table A"], title="Marché solidaire"))
        session.flush()
        return session.query(Project).filter_by(title="Marché solidaire").one().id

    project_id = committed(app, project)
    login(client, "coord@example.org")
    url = f"/coordination/campaigns/{two_years['before']}/actions/{two_years['done']}"
    html = page(client, url)
    assert "Marché solidaire" in html[html.index('id="event"'):]
    made = client.post(url + "/event", data={"csrf_token": csrf_token(html), "event-project": str(project_id)})
    assert made.status_code == 302
    action = next(a for a in view(app, two_years["before"]).actions if a.id == two_years["done"])
    assert action.event_id is not None
    with app.app_context():
        from partenariat.models import Event

        event = db().get(Event, action.event_id)
        assert (event.title, event.project_id) == ("Action faite", project_id)
    # Once is enough: the page says it is an event and offers no second one; a crafted POST is refused.
    event_part = page(client, url).split('id="event"')[1].split('id="edit"')[0]
    assert "Cette action est un événement" in event_part and "event-project" not in event_part
    again = client.post(url + "/event", data={"csrf_token": csrf_token(html), "event-project": str(project_id)})
    assert again.status_code == 400 and 'role="alert"' in text(again).split('id="event"')[1]
    with app.app_context():
        from partenariat.models import Event

        assert db().query(Event).filter_by(project_id=project_id).count() == 1


def test_method_one_shows_the_group_diagnosis_apart_from_the_scores(app, client, opened):
    def consensus(session):
        plan.save_retreat(session, opened, held_on=None, method="consensus", participants="", decisions="")
        (point,) = plan.retreat_view(session, opened).points
        plan.save_reading(session, opened, point.reading_id, consensus="A", reasons="Tous d’accord", dissent="",
                          to_work_on=False)

    committed(app, consensus)
    login(client, "coord@example.org")
    html = page(client, f"/coordination/campaigns/{opened}/portrait")
    diagnosis = html[html.index("Le diagnostic du groupe"):]
    assert "Tous d’accord" in diagnosis and "ne font partie d'aucun score" in diagnosis
    # The scores above are the release's: C02 still 0 on four responses.
    assert "Tous d’accord" not in html[:html.index("Le diagnostic du groupe")]


def test_the_minutes_print_in_the_reader_language(app, client, opened):
    add(app, opened, title="Tenir un registre commun", lead="CDC des Érables")
    committed(app, lambda s: plan.save_retreat(s, opened, held_on=date(2026, 2, 12), method="compiled",
                                               participants="CDC des Érables\nVille", decisions="Se revoir"))
    login(client, "coord@example.org")
    fr = page(client, f"/coordination/campaigns/{opened}/retreat/minutes")
    assert "Compte rendu du lac-à-l'épaule" in fr and "data-print" in fr and "css/print.css" in fr
    assert "<li>Ville</li>" in fr and "Tenir un registre commun" in fr and "A 0 · B 0 · C 4" in fr
    en = page(client, f"/coordination/campaigns/{opened}/retreat/minutes?lang=en")
    assert "Retreat minutes" in en and C02.statement.en in en


def test_the_campaign_page_and_the_dashboard_link_to_the_plan(client, opened, accounts):
    login(client, "coord@example.org")
    assert f"/coordination/campaigns/{opened}/retreat" in page(client, f"/coordination/campaigns/{opened}")
    assert f"/coordination/partnerships/{accounts['Table A']}/follow-up" in page(client, "/coordination/")


def test_another_partnership_gets_404_and_a_funder_403(app, client, two_years, accounts):
    before, after, done = two_years["before"], two_years["after"], two_years["done"]
    urls = [f"/coordination/campaigns/{before}/retreat", f"/coordination/campaigns/{before}/retreat/minutes",
            f"/coordination/campaigns/{before}/actions/{done}",
            f"/coordination/partnerships/{accounts['Table A']}/follow-up"]
    other, funder = app.test_client(), app.test_client()
    login(other, "other@example.org")
    login(funder, "funder@example.org")
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert funder.get(url).status_code == 403, url
    # An action read through another campaign of its own partnership is 404 too.
    login(client, "coord@example.org")
    assert client.get(f"/coordination/campaigns/{after}/actions/{done}").status_code == 404
    assert client.get(f"/coordination/campaigns/{before}/actions/{done}").status_code == 200
    # A discussion point of another campaign's retreat cannot be written through this one.
    (point,) = view(app, before).points
    html = page(client, f"/coordination/campaigns/{after}/retreat")
    assert client.post(f"/coordination/campaigns/{after}/retreat/readings/{point.reading_id}",
                       data={"csrf_token": csrf_token(html)}).status_code == 404
