"""Partners' event proposals (issue 13): the coordinator makes the project's proposal link;
partners, without an account, propose events; the coordinator accepts one (an event),
merges one into an event, or sets one aside. Wrong links count against the same guessing
limit as personal links, and nothing stored or shown says who proposed what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select

from partenariat.database import db
from partenariat.models import Event, EventProposal, Partnership, Project
from partenariat.services.timeline import save_timeline
from partenariat.timeline import model
from tests import factories
from tests.conftest import csrf_token, login

LINK = re.compile(r'value="http://localhost/p/([A-Za-z0-9_-]+)"')


@pytest.fixture
def project(app, accounts):
    return factories.timeline_project(app, "Table A")  # events A (RT01), B (RT10), effect X


def base(accounts, project):
    return f"/coordination/partnerships/{accounts['Table A']}/projects/{project}/workshop/proposals"


def make_link(client, accounts, project) -> str:
    login(client, "coord@example.org")
    token = csrf_token(client.get(base(accounts, project)).get_data(as_text=True))
    response = client.post(base(accounts, project) + "/link", data={"csrf_token": token, "action": "new"})
    assert response.status_code == 200
    return LINK.search(response.get_data(as_text=True)).group(1)


def stored(app) -> list[tuple]:
    with app.app_context():
        return sorted((p.date.isoformat(), p.date_precision, p.title, p.description, p.rt, p.review_status)
                      for p in db().scalars(select(EventProposal)))


def propose(partner, token, **fields):
    page = partner.get(f"/p/{token}")
    return partner.post(f"/p/{token}", data={"csrf_token": csrf_token(page.get_data(as_text=True)), **fields})


def test_a_partner_proposes_through_the_link_and_bad_input_keeps_what_was_typed(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    page = partner.get(f"/p/{token}?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Marché solidaire" in html and "Sign in" not in html
    assert "RT10 — Capturing resources" in html

    refused = propose(partner, token, date="2019-02-30", title="", description="Avec la Caisse", rt="RT10")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="date-error">Write the date as 2019, 2019-05 or 2019-05-14' in html
    assert 'id="title-error">Give the event a short title.' in html
    assert 'value="2019-02-30"' in html and "Avec la Caisse</textarea>" in html
    assert '<option selected value="RT10">' in html or '<option value="RT10" selected>' in html
    assert stored(app) == []

    sent = propose(partner, token, date="2019-05", title="Prêt d'un local", description="  Par l'école  ", rt="")
    assert sent.status_code == 302
    assert "Thank you: your proposal is sent" in partner.get(sent.headers["Location"]).get_data(as_text=True)
    propose(partner, token, date="2020-03-14", title="Porte-parole à la Ville", rt="RT07")
    assert stored(app) == [("2019-05-01", "month", "Prêt d'un local", "Par l'école", None, "pending"),
                           ("2020-03-14", "day", "Porte-parole à la Ville", "", "RT07", "pending")]


def test_nothing_records_who_proposed_or_when(app):
    columns = {c.name for c in inspect(EventProposal).columns}
    assert columns == {"id", "project_id", "date", "date_precision", "title", "description", "rt", "review_status",
                       "event_id"}


def test_the_coordinator_accepts_merges_and_sets_aside(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    propose(partner, token, date="2019-05", title="Prêt d'un local", description="Par l'école", rt="")
    propose(partner, token, date="2020", title="Deuxième subvention", description="Fondation locale", rt="RT10")
    propose(partner, token, date="2021", title="Rumeur", rt="")
    with app.app_context():
        ids = {p.title: p.id for p in db().scalars(select(EventProposal))}
        b = db().scalar(select(Event).where(Event.ref == "B"))
        b_id, b_description = b.id, b.description

    html = coordinator.get(base(accounts, project) + "?lang=en").get_data(as_text=True)
    assert html.count('class="card proposal"') == 3 and "no RT proposed" in html
    assert html.index("Prêt d&#39;un local") < html.index("Deuxième subvention") < html.index("Rumeur")  # by their date
    token_csrf = csrf_token(html)
    url = base(accounts, project)
    local = ids["Prêt d'un local"]

    # A ref already used (by an event or the effect) or no RT: refused, what was typed stays.
    for ref, rt, message in (("X", "RT11", "The ref X is already used"), ("P1", "", "Choose the transitional result")):
        refused = coordinator.post(f"{url}/{local}", data={
            "csrf_token": token_csrf, "action": "accept", "ref": ref, "rt": rt})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in page
        assert f'name="ref" value="{ref}"' in page
    with app.app_context():
        assert db().scalar(select(Event).where(Event.title == "Prêt d'un local")) is None

    accepted = coordinator.post(f"{url}/{local}", data={
        "csrf_token": token_csrf, "action": "accept", "ref": "P1", "rt": "RT11"}, follow_redirects=True)
    assert "The proposal is now the event P1 of the timeline." in accepted.get_data(as_text=True)
    merged = coordinator.post(f"{url}/{ids['Deuxième subvention']}", data={
        "csrf_token": token_csrf, "action": "merge", "event": str(b_id)}, follow_redirects=True)
    assert "merged into the event B" in merged.get_data(as_text=True)
    coordinator.post(f"{url}/{ids['Rumeur']}", data={"csrf_token": token_csrf, "action": "dismiss"})
    again = coordinator.post(f"{url}/{ids['Rumeur']}", data={"csrf_token": token_csrf, "action": "accept",
                                                             "ref": "P9", "rt": "RT01"})
    assert again.status_code == 400 and "already handled" in again.get_data(as_text=True)

    with app.app_context():
        p1 = db().scalar(select(Event).where(Event.ref == "P1"))
        assert (p1.date.isoformat(), p1.date_precision, p1.title, p1.description, p1.rt, p1.kind, p1.status) == (
            "2019-05-01", "month", "Prêt d'un local", "Par l'école", "RT11", "resultat", "realise")
        expected = "Deuxième subvention — Fondation locale"
        assert db().get(Event, b_id).description == (f"{b_description}\n\n{expected}" if b_description else expected)
        assert db().scalar(select(Event).where(Event.ref == "P9")) is None
    assert [s[5] for s in stored(app)] == ["accepted", "merged", "dismissed"]
    html = coordinator.get(url + "?lang=en").get_data(as_text=True)
    assert "No proposal is waiting." in html and "1 added, 1 merged, 1 set aside" in html


def test_wrong_old_and_closed_links_are_refused_and_count_against_the_limit(app, accounts, project, monkeypatch):
    from partenariat.services import invitation

    coordinator, partner = app.test_client(), app.test_client()
    old = make_link(coordinator, accounts, project)
    new = make_link(coordinator, accounts, project)  # replaces the old one
    assert partner.get(f"/p/{old}").status_code == 404
    wrong = partner.get("/p/not-a-token")
    assert wrong.status_code == 404 and "This link is not valid" in wrong.get_data(as_text=True)
    assert partner.get(f"/p/{new}").status_code == 200

    monkeypatch.setattr(invitation, "MAX_MISSES_PER_IP", 3)  # two misses so far
    assert partner.get("/r/wrong-personal-link").status_code == 404  # one limit for both kinds of link
    blocked = partner.get("/p/yet-another")
    assert blocked.status_code == 429 and "Too many wrong links" in blocked.get_data(as_text=True)
    assert partner.get(f"/p/{new}").status_code == 200  # the right link still opens

    token = csrf_token(coordinator.get(base(accounts, project)).get_data(as_text=True))
    coordinator.post(base(accounts, project) + "/link", data={"csrf_token": token, "action": "close"})
    assert partner.get(f"/p/{new}").status_code == 429  # now a miss, past the limit
    monkeypatch.setattr(invitation, "MAX_MISSES_PER_IP", 30)
    assert partner.get(f"/p/{new}").status_code == 404


def test_a_proposal_of_another_project_is_not_found(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    propose(partner, token, date="2019", title="Un événement", rt="")

    def other(session):
        partnership = session.scalar(select(Partnership).where(Partnership.name == "Table A"))
        save_timeline(session, partnership, model.Timeline(title="Autre projet"))
        return session.scalar(select(Project.id).where(Project.title == "Autre projet"))

    other_id = factories.committed(app, other)
    with app.app_context():
        proposal_id = db().scalar(select(EventProposal.id))
    csrf = csrf_token(coordinator.get(base(accounts, project)).get_data(as_text=True))
    response = coordinator.post(f"{base(accounts, other_id)}/{proposal_id}", data={"csrf_token": csrf,
                                                                                 "action": "dismiss"})
    assert response.status_code == 404
    assert stored(app)[0][5] == "pending"



def test_an_expired_form_comes_back_as_typed_and_sends_nothing(app, accounts, project):
    coordinator, partner = app.test_client(), app.test_client()
    token = make_link(coordinator, accounts, project)
    partner.get(f"/p/{token}?lang=en")
    response = partner.post(f"/p/{token}", data={"csrf_token": "expired", "date": "2018", "title": "Fête de quartier",
                                                 "description": "Trois cents personnes", "rt": "RT11"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "This page had expired, so your proposal is not sent yet" in html
    assert 'value="Fête de quartier"' in html and "Trois cents personnes</textarea>" in html
    assert stored(app) == []
    assert partner.post("/p/not-a-token", data={"csrf_token": "expired"}).status_code == 404
