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
from partenariat.models import EventProposal, Partnership, Project
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
