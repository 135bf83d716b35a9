"""The timeline workshop (issue 13): the RT profile pages of a project and of the partnership,
with our proposed reading and the perceived RT scores of the latest release beside them, and
the discussion prompts the two give together. Expected numbers are counted by hand from the
histories below."""

from __future__ import annotations

import base64
import re
from fractions import Fraction

import pytest
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Partnership, Project
from partenariat.services.timeline import save_timeline
from partenariat.timeline import model
from partenariat.timeline.profile import profile
from partenariat.timeline.prompts import RULES, Rule, prompts
from questionnaires import load_instrument
from tests import factories
from tests.conftest import login

D = model.PartialDate
E = model.Event
INSTRUMENT = load_instrument()

# Marché: RT01 1 result; RT04 1; RT05 1; RT10 2 results and 1 setback; RT11 1; RT12 planned only.
# D1 1/0, D2 2/0, D3 3/1; total 6 results, 1 setback. Reading: RT10–RT11 3, RT04–RT08 2, RT12 0 →
# 5 ≥ 4 but neither side has twice the other → mixed. By year: 2019 D1 1, D2 1; 2020 D2 1, D3 1 and
# 1 setback; 2021 D3 2.
MARCHE = model.Timeline(
    title="Marché solidaire",
    events=(E("A", D(2019), "Première rencontre", "RT01"), E("B", D(2019, 5), "Mémoire au conseil", "RT04"),
            E("C", D(2020), "Mémoire déposé à la Ville", "RT05"), E("D", D(2020, 3), "Subvention obtenue", "RT10"),
            E("E", D(2020, 6), "Subvention perdue", "RT10", kind="revers"),
            E("F", D(2021), "Nouveaux membres", "RT11"), E("G", D(2021), "Local prêté", "RT10"),
            E("H", D(2022), "Engagement de la Ville", "RT12", status="prevu")),
    effects=(model.Effect("X", D(2022), "Marché ouvert"),),
    links=(model.Link("A", "B"), model.Link("B", "C"), model.Link("D", "F"), model.Link("F", "X"),
           model.Link("G", "X")),
)
# Jardin: RT07 1 result, RT09 1 setback. With Marché: D2 3/0, D3 3/2, total 7 results, 2 setbacks;
# reading RT10–RT11 3, RT04–RT08 3 → mixed.
JARDIN = model.Timeline(title="Jardin collectif", events=(
    E("P1", D(2021, 4, 2), "Porte-parole au comité", "RT07"), E("P2", D(2022), "Départ du CLSC", "RT09", kind="revers")))


def flat(html: str) -> str:
    """Whitespace squeezed, none between tags, so that rows read the same however indented."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


@pytest.fixture
def projects(app, accounts):
    """Marché and Jardin in Table A (whose coordinator is coord@example.org); returns their ids."""

    def build(session):
        partnership = session.scalar(select(Partnership).where(Partnership.name == "Table A"))
        save_timeline(session, partnership, MARCHE)
        save_timeline(session, partnership, JARDIN)
        return {p.title: p.id for p in session.scalars(select(Project))}

    return factories.committed(app, build)


def released(app, value: str, n: int = 3, year: int = 2026, then_unreleased: str | None = None) -> int:
    """A Table A campaign with ``n`` responses answering ``value`` everywhere, released; then
    optionally 3 more answering ``then_unreleased``, left waiting for a release."""

    def build(session):
        campaign = factories.campaign(session, "Table A", year)
        factories.responses(session, campaign, n, value=value)
        factories.release(session, campaign)
        if then_unreleased:
            factories.responses(session, campaign, 3, value=then_unreleased)
        return campaign.id

    return factories.committed(app, build)


def page(client, accounts, path: str) -> str:
    login(client, "coord@example.org")
    response = client.get(path)
    assert response.status_code == 200, path
    return flat(response.get_data(as_text=True))


def row(html: str, label: str, *cells) -> bool:
    return f'<th scope="row">{label}</th>' + "".join(f"<td>{c}</td>" for c in cells) in html


# --- the pure prompts -------------------------------------------------------------------------

def test_prompts_follow_the_rules_at_their_boundaries():
    tally = profile(INSTRUMENT, [MARCHE]).total
    scores = dict.fromkeys(INSTRUMENT.rts, Fraction(60))  # "à consolider": no prompt anywhere
    scores.update(RT02=Fraction(75), RT03=Fraction(7499, 100),  # 75 is "force", 74.99 is not
                  RT01=Fraction(90),  # strong, but RT01 has one result: no prompt
                  RT10=Fraction(4999, 100),  # 2 results and below 50: prompt
                  RT11=Fraction(10),  # below 50 but only 1 result: no prompt
                  RT04=None)  # no score, 1 result: no prompt (needs 2)
    found = [(p.key, p.rt, p.results) for p in prompts(INSTRUMENT, tally, scores)]
    assert found == [("survey_not_timeline", "RT02", 0), ("timeline_not_survey", "RT10", 2)]


def test_a_missing_score_counts_as_no_trace_in_the_survey_and_an_absent_rt_gives_nothing():
    tally = profile(INSTRUMENT, [MARCHE]).total
    assert [(p.key, p.rt) for p in prompts(INSTRUMENT, tally, {"RT10": None})] == [("timeline_not_survey", "RT10")]
    assert prompts(INSTRUMENT, tally, {}) == []


def test_the_rules_are_data():
    stricter = (Rule("only_rt10", bands=("a_travailler",), min_results=3),)
    tally = profile(INSTRUMENT, [MARCHE]).total
    assert prompts(INSTRUMENT, tally, {"RT10": Fraction(0)}, stricter) == []  # RT10 has 2 results, not 3
    assert [r.key for r in RULES] == ["survey_not_timeline", "timeline_not_survey"]


# --- the pages ---------------------------------------------------------------------------------

def test_the_project_profile_shows_the_hand_counted_counts_and_the_reading_as_a_proposal(app, client, accounts,
                                                                                        projects):
    html = page(client, accounts, f"/coordination/partnerships/{accounts['Table A']}/projects/"
                                  f"{projects['Marché solidaire']}/workshop/profile?lang=en")
    assert row(html, "RT10 Capturing resources", 2, 1)
    assert row(html, "RT01 Network building", 1, 0)
    assert row(html, "RT12 Decision-makers committed to the change", 0, 0)  # planned only
    assert row(html, "D3 Bringing actors and resources together", 3, 1)
    assert row(html, "Total", 6, 1)
    assert "(1 planned event left out)" in html
    assert "Our reading — a proposal, not a score" in html
    assert "Both strategies sit side by side" in html  # mixed
    assert "Results on RT10–RT11: 3; on RT04–RT08: 2; on RT12: 0." in html
    assert row(html, "2020", 0, 0, 1, 0, 1, 1, 3)  # D1, D2, D3 results/setbacks, total
    assert row(html, "2021", 0, 0, 0, 0, 2, 0, 2)
    # No release anywhere: no perceived score, no prompt, and the page says why.
    assert "Perceived in the survey" not in html and "prompts for discussion" not in html
    assert "perceived scores appear with the first release" in html
    assert "Jardin" not in html


def test_the_partnership_profile_counts_every_project_and_each_apart(app, client, accounts, projects):
    html = page(client, accounts, f"/coordination/partnerships/{accounts['Table A']}/workshop/profile?lang=en")
    assert row(html, "Total", 7, 2)
    assert row(html, "D2 Representing and influencing", 3, 0)
    assert row(html, "RT09 Shifts of actors", 0, 1)
    assert row(html, "2022", 0, 0, 0, 0, 0, 1, 1)  # Jardin's setback; Marché's 2022 event is planned
    assert '<th scope="row">Marché solidaire</th><td>1</td><td>0</td><td>2</td><td>0</td><td>3</td><td>1</td>' in html
    assert '<th scope="row">Jardin collectif</th><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>' in html


def test_perceived_scores_come_from_the_latest_release_only_and_give_the_prompts(app, client, accounts, projects):
    # 2025: released, all A (every RT scores 100). 2026: responses that were never released.
    released(app, "A", year=2025, then_unreleased="C")

    def unreleased(session):
        campaign = factories.campaign(session, "Table A", 2026)
        factories.responses(session, campaign, 5, value="C")

    factories.committed(app, unreleased)
    html = page(client, accounts, f"/coordination/partnerships/{accounts['Table A']}/projects/"
                                  f"{projects['Marché solidaire']}/workshop/profile?lang=en")
    assert "release 1, 3 responses" in html and "(2025)" in html
    assert row(html, "RT10 Capturing resources", 2, 1, "100.0 · Strength")  # the waiting C answers do not count
    strong_without_trace = re.findall(r'<li class="prompt-survey_not_timeline" data-rt="(RT\d\d)">', html)
    assert strong_without_trace == ["RT02", "RT03", "RT06", "RT07", "RT08", "RT09", "RT12"]
    assert "prompt-timeline_not_survey" not in html


def test_a_weak_survey_beside_a_busy_timeline_gives_the_reverse_prompt(app, client, accounts, projects):
    released(app, "C")
    html = page(client, accounts, f"/coordination/partnerships/{accounts['Table A']}/projects/"
                                  f"{projects['Marché solidaire']}/workshop/profile?lang=fr")
    assert re.findall(r'<li class="prompt-([a-z_]+)" data-rt="(RT\d\d)">', html) == [("timeline_not_survey", "RT10")]
    assert "Présent dans la ligne du temps" in html


def test_another_partnership_s_project_is_not_found(app, client, accounts, projects):
    login(client, "other@example.org")
    response = client.get(f"/coordination/partnerships/{accounts['Table A']}/projects/"
                          f"{projects['Marché solidaire']}/workshop/profile")
    assert response.status_code == 404
    login(client, "coord@example.org")
    response = client.get(f"/coordination/partnerships/{accounts['Table B']}/projects/"
                          f"{projects['Marché solidaire']}/workshop/profile")
    assert response.status_code == 404



# --- the question grid and the pack ------------------------------------------------------------

def grid_url(accounts, project_id, moment="back"):
    return f"/coordination/partnerships/{accounts['Table A']}/projects/{project_id}/workshop/grid?moment={moment}"


def saved_answers(app) -> set[tuple]:
    from partenariat.models import GridAnswer

    with app.app_context():
        return {(a.question_code, a.moment, a.lesson, a.avenue) for a in db().scalars(select(GridAnswer))}


def test_grid_answers_are_saved_per_question_and_moment_then_emptied_away(app, client, accounts, projects):
    from tests.conftest import csrf_token

    marche = projects["Marché solidaire"]
    login(client, "coord@example.org")
    html = client.get(grid_url(accounts, marche) + "&lang=en").get_data(as_text=True)
    assert "Which RT are missing from our chain?" in html and 'name="lesson_RT10_1"' in html
    assert 'name="lesson_G06"' not in html  # G06 is a forward question
    token = csrf_token(html)
    response = client.post(grid_url(accounts, marche), data={
        "csrf_token": token, "lesson_G01": "  Il manquait des porte-parole.  ", "avenue_G01": "",
        "lesson_G05": "La mobilisation citoyenne", "avenue_G05": "Former deux membres"}, follow_redirects=True)
    assert "(2 questions answered for this moment)" in flat(response.get_data(as_text=True))
    # G05 is asked at both moments: the forward answer is its own.
    client.post(grid_url(accounts, marche, "forward"), data={"csrf_token": token, "avenue_G05": "Recruter"})
    assert saved_answers(app) == {("G01", "back", "Il manquait des porte-parole.", ""),
                                  ("G05", "back", "La mobilisation citoyenne", "Former deux membres"),
                                  ("G05", "forward", "", "Recruter")}
    page_html = client.get(grid_url(accounts, marche)).get_data(as_text=True)
    assert "Il manquait des porte-parole.</textarea>" in page_html
    client.post(grid_url(accounts, marche), data={"csrf_token": token, "lesson_G01": "", "avenue_G01": " ",
                                                  "lesson_G05": "La mobilisation citoyenne",
                                                  "avenue_G05": "Former deux membres"})
    assert ("G01", "back", "Il manquait des porte-parole.", "") not in saved_answers(app)  # emptied: removed
    assert len(saved_answers(app)) == 2


def test_a_too_long_answer_saves_nothing_and_keeps_everything_typed(app, client, accounts, projects):
    from tests.conftest import csrf_token

    marche = projects["Marché solidaire"]
    login(client, "coord@example.org")
    token = csrf_token(client.get(grid_url(accounts, marche)).get_data(as_text=True))
    response = client.post(grid_url(accounts, marche) + "&lang=en", data={
        "csrf_token": token, "lesson_G01": "x" * 4001, "avenue_RT10_1": "Chercher un second bailleur"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Chercher un second bailleur</textarea>" in html and "x" * 4001 + "</textarea>" in html
    assert 'id="lesson_G01-error">At most 4000 characters' in html
    assert 'aria-describedby="lesson_G01-error"' in html
    assert html.index("Nothing was saved") > html.index("<form method=\"post\"")  # the message sits at the form
    assert saved_answers(app) == set()


def test_the_workshop_pack_holds_the_diagram_the_profile_and_the_grid_with_its_answers(app, client, accounts,
                                                                                      projects):
    from tests.conftest import csrf_token

    marche = projects["Marché solidaire"]
    login(client, "coord@example.org")
    token = csrf_token(client.get(grid_url(accounts, marche)).get_data(as_text=True))
    client.post(grid_url(accounts, marche, "forward"), data={"csrf_token": token, "avenue_RT12_2": "Rencontrer la mairesse"})
    response = client.get(f"/coordination/partnerships/{accounts['Table A']}/projects/{marche}/workshop/pack?lang=en")
    html = flat(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'href="/static/css/print.css" media="print"' in html
    # The diagram is an image (the page's CSP would block the drawing's own style inline).
    (encoded,) = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="Timeline of significant events: '
                            r'Marché solidaire">', html)
    svg = base64.b64decode(encoded).decode("utf-8")
    assert svg.count('<path class="link"') == len(MARCHE.links)
    assert all(event.title in svg for event in MARCHE.events)
    assert "style=" not in html and "onclick" not in html
    assert row(html, "RT10 Capturing resources", 2, 1)
    assert "Our reading — a proposal, not a score" in html
    assert "<dt>Avenue for action</dt><dd>Rencontrer la mairesse</dd>" in html
    # Every question of both moments is there, the unanswered ones with room to write.
    assert html.count('class="pack-question"') == 17 + 16
    assert html.count('class="write-here"') == 17 + 16 - 1


# --- snapshots --------------------------------------------------------------------------------

def snapshots_url(accounts, project_id, tail=""):
    return f"/coordination/partnerships/{accounts['Table A']}/projects/{project_id}/workshop/snapshots{tail}"


def test_a_snapshot_freezes_the_timeline_and_compares_with_today_and_another_snapshot(app, client, accounts, projects):
    from partenariat.models import TimelineSnapshot
    from tests.conftest import csrf_token

    marche = projects["Marché solidaire"]
    login(client, "coord@example.org")
    token = csrf_token(client.get(snapshots_url(accounts, marche) + "?lang=en").get_data(as_text=True))
    response = client.post(snapshots_url(accounts, marche), data={"csrf_token": token, "label": "Retraite 2025"},
                           follow_redirects=True)
    assert "frozen as “Retraite 2025” (8 events)" in response.get_data(as_text=True)

    # The story moves on: G dropped, I added, C re-titled.
    def edit(session):
        partnership = session.scalar(select(Partnership).where(Partnership.name == "Table A"))
        events = tuple(e for e in MARCHE.events if e.ref != "G") + (E("I", D(2023), "Deuxième marché", "RT11"),)
        events = tuple(E("C", e.date, "Mémoire adopté", e.rt) if e.ref == "C" else e for e in events)
        links = tuple(link for link in MARCHE.links if link.source != "G") + (model.Link("I", "X"),)
        save_timeline(session, partnership, model.Timeline(title=MARCHE.title, events=events, effects=MARCHE.effects,
                                                           links=links))

    factories.committed(app, edit)
    client.post(snapshots_url(accounts, marche), data={"csrf_token": token, "label": "Retraite 2026"})
    with app.app_context():
        first, second = (s.id for s in db().scalars(select(TimelineSnapshot).order_by(TimelineSnapshot.id)))
        assert len(db().get(TimelineSnapshot, first).content["events"]) == 8

    for newer in ("now", second):
        html = flat(client.get(snapshots_url(accounts, marche, f"/compare?older={first}&newer={newer}")).get_data(
            as_text=True))
        assert "1 added, 1 removed, 1 changed." in html  # events
        assert '<tr class="added"><td>added</td><th scope="row">I</th><td>Deuxième marché</td>' in html
        assert '<tr class="removed"><td>removed</td><th scope="row">G</th><td>Local prêté</td>' in html
        assert "Title: Mémoire déposé à la Ville → Mémoire adopté" in html
        assert '<th scope="row">I → X</th>' in html and '<th scope="row">G → X</th>' in html
    html = flat(client.get(snapshots_url(accounts, marche, f"/compare?older={second}&newer=now")).get_data(as_text=True))
    assert "Nothing changed between these two moments." in html


def test_a_snapshot_needs_a_name_and_a_comparison_two_moments_of_this_project(app, client, accounts, projects):
    from partenariat.models import TimelineSnapshot
    from tests.conftest import csrf_token

    marche, jardin = projects["Marché solidaire"], projects["Jardin collectif"]
    login(client, "coord@example.org")
    token = csrf_token(client.get(snapshots_url(accounts, marche) + "?lang=en").get_data(as_text=True))
    response = client.post(snapshots_url(accounts, marche), data={"csrf_token": token, "label": "  "})
    assert response.status_code == 400 and 'id="label-error">Name the snapshot' in response.get_data(as_text=True)
    response = client.post(snapshots_url(accounts, marche), data={"csrf_token": token, "label": "R" * 201})
    assert response.status_code == 400 and 'value="' + "R" * 201 + '"' in response.get_data(as_text=True)
    client.post(snapshots_url(accounts, jardin), data={"csrf_token": token, "label": "Jardin 2025"})
    client.post(snapshots_url(accounts, marche), data={"csrf_token": token, "label": "Marché 2025"})
    with app.app_context():
        ids = {s.label: s.id for s in db().scalars(select(TimelineSnapshot))}
    assert set(ids) == {"Jardin 2025", "Marché 2025"}
    same = client.get(snapshots_url(accounts, marche, f"/compare?older={ids['Marché 2025']}&newer={ids['Marché 2025']}"))
    assert same.status_code == 400 and "Choose two different moments" in same.get_data(as_text=True)
    other = client.get(snapshots_url(accounts, marche, f"/compare?older={ids['Jardin 2025']}&newer=now"))
    assert other.status_code == 400 and "Choose two snapshots of this project" in other.get_data(as_text=True)
    junk = client.get(snapshots_url(accounts, marche, "/compare?older=x&newer=now"))
    assert junk.status_code == 400
