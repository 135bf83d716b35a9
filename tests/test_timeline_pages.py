"""The coordinator's timeline pages (SPEC §8), through the test client."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Controversy, Effect, Event, EventLink, Project
from partenariat.services import register
from partenariat.services import timeline as service
from partenariat.timeline.model import PartialDate
from tests.conftest import csrf_token, login
from tests.factories import committed


@pytest.fixture
def project_id(app, accounts):
    """An empty project of Table A."""
    return committed(app, lambda s: service.create_project(s, accounts["Table A"],
                                                           service.ProjectFields("Marché solidaire")).id)


def shown(text: str) -> str:
    """``text`` as a page writes it (HTML-escaped)."""
    return str(escape(text))


def token(client, url="/account/password") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def add_event(client, project_id, **fields):
    data = {"date": "2019-05", "title": "Premier comité", "rt": "RT01", "kind": "resultat", "status": "realise",
            **fields}
    data["csrf_token"] = token(client, f"/coordination/projects/{project_id}/events/new")
    return client.post(f"/coordination/projects/{project_id}/events/new", data=data)


def add_effect(client, project_id, **fields):
    data = {"date": "2021-09", "title": "Des légumes frais chaque samedi", **fields}
    data["csrf_token"] = token(client, f"/coordination/projects/{project_id}/effects/new")
    return client.post(f"/coordination/projects/{project_id}/effects/new", data=data)


def add_link(client, project_id, source: str, target: str, rationale=""):
    data = {"source": source, "target": target, "rationale": rationale,
            "csrf_token": token(client, f"/coordination/projects/{project_id}/links")}
    return client.post(f"/coordination/projects/{project_id}/links", data=data)


def rows(app, table, project_id):
    with app.app_context():
        return db().scalars(select(table).where(table.project_id == project_id).order_by(table.id)).all()


def count(app, table, project_id) -> int:
    with app.app_context():
        return db().scalar(select(func.count()).select_from(table).where(table.project_id == project_id))


def ids(app, project_id) -> dict[str, str]:
    """"E01" → "event-12", "FX01" → "effect-3": the link form's values."""
    return {**{e.ref: f"event-{e.id}" for e in rows(app, Event, project_id)},
            **{e.ref: f"effect-{e.id}" for e in rows(app, Effect, project_id)}}


def test_a_coordinator_creates_a_project_and_tells_its_story(app, client, accounts):
    login(client, "coord@example.org")
    partnership = accounts["Table A"]
    page = client.get(f"/coordination/partnerships/{partnership}/projects")
    assert "Nouveau projet" in page.get_data(as_text=True)
    created = client.post(f"/coordination/partnerships/{partnership}/projects",
                          data={"csrf_token": csrf_token(page.get_data(as_text=True)), "title": "Marché solidaire",
                                "start": "2019", "end": "2024-06"})
    assert created.status_code == 302
    with app.app_context():
        project = db().scalar(select(Project).where(Project.partnership_id == partnership))
        assert (project.title, project.start_date, project.start_precision) == ("Marché solidaire", date(2019, 1, 1), "year")
        assert (project.end_date, project.end_precision) == (date(2024, 6, 1), "month")
        project_id = project.id
    assert created.headers["Location"].endswith(f"/coordination/projects/{project_id}/events/new")

    assert add_event(client, project_id, date="2019-02-14", title="Premier comité", rt="RT01",
                     actors="CLSC, école").status_code == 302
    second = add_event(client, project_id, date="2020", title="Financement obtenu", rt="RT10", kind="revers",
                       status="prevu")
    assert second.status_code == 302
    assert add_effect(client, project_id).status_code == 302
    events = rows(app, Event, project_id)
    assert [(e.ref, e.date, e.date_precision, e.rt, e.kind, e.status, e.actors) for e in events] == [
        ("E01", date(2019, 2, 14), "day", "RT01", "resultat", "realise", "CLSC, école"),
        ("E02", date(2020, 1, 1), "year", "RT10", "revers", "prevu", ""),
    ]
    (effect,) = rows(app, Effect, project_id)
    assert (effect.ref, effect.date, effect.date_precision) == ("FX01", date(2021, 9, 1), "month")

    refs = ids(app, project_id)
    assert add_link(client, project_id, refs["E01"], refs["E02"], "le comité a écrit la demande").status_code == 302
    assert add_link(client, project_id, refs["E02"], refs["FX01"]).status_code == 302
    links = rows(app, EventLink, project_id)
    assert [(link.source_event_id, link.target_event_id, link.target_effect_id, link.rationale) for link in links] == [
        (events[0].id, events[1].id, None, "le comité a écrit la demande"), (events[1].id, None, effect.id, "")]

    timeline = client.get(f"/coordination/projects/{project_id}").get_data(as_text=True)
    frame = timeline[timeline.index('class="diagram-frame"'):]
    assert frame.index("<svg") < frame.index("</div>")  # the SVG inline, inside its frame
    assert timeline.count('class="link"') == 2
    chain = client.get(f"/coordination/projects/{project_id}/effects/{effect.id}/chain").get_data(as_text=True)
    assert chain.count('class="link"') == 2
    # The chain's table lists each entry after what led to it.
    table = chain[chain.index("chain-table"):]
    positions = [table.index(title) for title in ("Premier comité", "Financement obtenu", "Des légumes frais")]
    assert positions == sorted(positions)


def test_the_inlined_drawing_keeps_its_style_under_the_security_policy(app, client, project_id):
    login(client, "coord@example.org")
    add_event(client, project_id)
    response = client.get(f"/coordination/projects/{project_id}")
    policy = response.headers["Content-Security-Policy"]
    style = re.search(r"<style>(.*?)</style>", response.get_data(as_text=True), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    assert f"style-src 'self' 'sha256-{digest}';" in policy  # that very style sheet, nothing else
    assert "unsafe-inline" not in policy
    # Other pages keep the strict policy.
    assert "sha256" not in client.get(f"/coordination/projects/{project_id}/table").headers["Content-Security-Policy"]


def test_a_link_closing_a_cycle_is_refused_naming_both_ends(app, client, project_id):
    login(client, "coord@example.org")
    for title, rt in [("Comité formé", "RT01"), ("Règles adoptées", "RT02"), ("Portrait publié", "RT04")]:
        assert add_event(client, project_id, title=title, rt=rt).status_code == 302
    refs = ids(app, project_id)
    assert add_link(client, project_id, refs["E01"], refs["E02"]).status_code == 302
    assert add_link(client, project_id, refs["E02"], refs["E03"]).status_code == 302
    refused = add_link(client, project_id, refs["E03"], refs["E01"])
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    message = re.search(r'<p class="error" id="target-error">(.*?)</p>', text).group(1)
    assert "« Portrait publié »" in message and "« Comité formé »" in message
    assert "« Comité formé » → « Règles adoptées » → « Portrait publié »" in message
    assert count(app, EventLink, project_id) == 2
    # The form keeps what was chosen.
    assert f'value="{refs["E03"]}" selected' in text or f'selected value="{refs["E03"]}"' in text


def test_a_setback_is_refused_on_rt02_and_nothing_is_written(app, client, project_id):
    login(client, "coord@example.org")
    refused = add_event(client, project_id, rt="RT02", kind="revers", title="Le comité se divise")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert shown("Un revers n'est possible que sur RT09, RT10, RT11, RT12 ; RT02 est toujours un résultat.") in text
    assert 'value="Le comité se divise"' in text  # what was typed stays
    assert re.search(r'id="rt-RT02" value="RT02"[^>]*checked', text)
    assert count(app, Event, project_id) == 0
    assert add_event(client, project_id, rt="RT11", kind="revers").status_code == 302
    assert [e.kind for e in rows(app, Event, project_id)] == ["revers"]


@pytest.mark.parametrize("typed", ["2019-02-30", "mai 2019", "19-05"])
def test_a_bad_date_is_kept_in_the_form(app, client, project_id, typed):
    login(client, "coord@example.org")
    refused = add_event(client, project_id, date=typed, title="Assemblée ouverte", actors="résidents")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert f'value="{typed}"' in text and 'value="Assemblée ouverte"' in text and "résidents</textarea>" in text
    assert "Écrivez la date comme une année (2019), un mois (2019-05) ou un jour (2019-05-14), une date réelle." in text
    assert count(app, Event, project_id) == 0


def test_another_partnership_gets_404_everywhere(app, client, accounts, project_id):
    login(client, "coord@example.org")
    add_event(client, project_id)
    add_effect(client, project_id)
    event = rows(app, Event, project_id)[0]
    effect = rows(app, Effect, project_id)[0]
    other_project = committed(app, lambda s: service.create_project(s, accounts["Table A"],
                                                                    service.ProjectFields("Autre projet")).id)
    # An event of one project under the URL of another project of the same partnership.
    assert client.get(f"/coordination/projects/{other_project}/events/{event.id}").status_code == 404
    client.post("/account/logout", data={"csrf_token": token(client)})

    login(client, "other@example.org")  # coordinator of Table B only
    post = {"csrf_token": token(client)}
    for url in [f"/coordination/partnerships/{accounts['Table A']}/projects", f"/coordination/projects/{project_id}",
                f"/coordination/projects/{project_id}/events/{event.id}",
                f"/coordination/projects/{project_id}/effects/{effect.id}/chain",
                f"/coordination/projects/{project_id}/timeline.json", f"/coordination/projects/{project_id}/table"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/coordination/projects/{project_id}/events/new",
                       data={**post, "date": "2020", "title": "Intrus", "rt": "RT01"}).status_code == 404
    assert client.post(f"/coordination/projects/{project_id}/events/{event.id}/delete",
                       data={**post, "confirmed": "1"}).status_code == 404
    assert count(app, Event, project_id) == 1


def test_a_funder_sees_nothing_of_timelines(app, client, accounts, project_id):
    login(client, "funder@example.org")  # a funder of Table A
    for url in [f"/coordination/partnerships/{accounts['Table A']}/projects", f"/coordination/projects/{project_id}",
                f"/coordination/projects/{project_id}/timeline.xlsx", "/coordination/rt-cards"]:
        assert client.get(url).status_code == 403, url
    assert "timeline" not in client.get("/funder/").get_data(as_text=True).lower()


def test_project_titles_are_unique_in_the_partnership_and_dates_in_order(app, client, accounts, project_id):
    login(client, "coord@example.org")
    url = f"/coordination/partnerships/{accounts['Table A']}/projects"
    same = client.post(url, data={"csrf_token": token(client, url), "title": "Marché solidaire"})
    assert same.status_code == 400
    assert "Le partenariat a déjà un projet intitulé Marché solidaire." in same.get_data(as_text=True)
    backwards = client.post(url, data={"csrf_token": token(client, url), "title": "Jardins", "start": "2022",
                                       "end": "2021-05"})
    assert backwards.status_code == 400 and 'value="2021-05"' in backwards.get_data(as_text=True)
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Project)) == 1


def test_deleting_an_event_asks_first_then_takes_its_links(app, client, project_id):
    login(client, "coord@example.org")
    add_event(client, project_id, title="Comité formé")
    add_event(client, project_id, title="Règles adoptées", rt="RT02")
    refs = ids(app, project_id)
    add_link(client, project_id, refs["E01"], refs["E02"])
    first = rows(app, Event, project_id)[0]
    url = f"/coordination/projects/{project_id}/events/{first.id}/delete"
    asked = client.post(url, data={"csrf_token": token(client)})
    assert asked.status_code == 200
    text = asked.get_data(as_text=True)
    assert "« Comité formé » (E01) sera supprimé" in text and "1 lien vers lui ou depuis lui sera aussi supprimé." in text
    assert count(app, Event, project_id) == 2 and count(app, EventLink, project_id) == 1
    done = client.post(url, data={"csrf_token": token(client), "confirmed": "1"})
    assert done.status_code == 302
    assert [e.title for e in rows(app, Event, project_id)] == ["Règles adoptées"]
    assert count(app, EventLink, project_id) == 0


def test_an_rt03_event_and_its_controversy_point_at_each_other(app, client, accounts, project_id):
    entry = committed(app, lambda s: register.add(s, accounts["Table A"], register.Fields(
        "Place des commerçants", "", None, [], None)).id)
    login(client, "coord@example.org")
    not_rt03 = add_event(client, project_id, rt="RT05", controversy=str(entry))
    assert not_rt03.status_code == 400 and count(app, Event, project_id) == 0
    assert add_event(client, project_id, rt="RT03", title="Désaccord réglé en assemblée",
                     controversy=str(entry)).status_code == 302
    event = rows(app, Event, project_id)[0]
    assert event.controversy_id == entry
    register_page = client.get(f"/coordination/partnerships/{accounts['Table A']}/controversies/{entry}")
    assert f'/coordination/projects/{project_id}/events/{event.id}">E01 · Désaccord réglé en assemblée' in \
        register_page.get_data(as_text=True)
    event_page = client.get(f"/coordination/projects/{project_id}/events/{event.id}").get_data(as_text=True)
    assert f'/controversies/{entry}">Place des commerçants</a>' in event_page
    # A controversy of another partnership cannot be chosen.
    foreign = committed(app, lambda s: register.add(s, accounts["Table B"], register.Fields(
        "Ailleurs", "", None, [], None)).id)
    assert add_event(client, project_id, rt="RT03", controversy=str(foreign)).status_code == 400
    with app.app_context():
        assert db().get(Controversy, foreign).partnership_id == accounts["Table B"]
    assert count(app, Event, project_id) == 1


def upload(client, project_id, content: bytes, filename: str, replace=False):
    data = {"csrf_token": token(client, f"/coordination/projects/{project_id}"),
            "file": (io.BytesIO(content), filename)}
    if replace:
        data["replace"] = "y"
    return client.post(f"/coordination/projects/{project_id}/import", data=data, content_type="multipart/form-data")


HEADER = "ref,date,title,description,actors,evidence,rt,kind,status,leads_to\n"


def test_an_import_is_all_or_nothing_with_errors_by_row_and_column(app, client, project_id):
    login(client, "coord@example.org")
    bad = HEADER + "E1,2019,Comité,,,,RT01,,,E2\nE2,2019-13,Règles,,,,RT02,revers,,\n"
    refused = upload(client, project_id, bad.encode(), "events.csv")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    errors = text[text.index('id="import-errors"'):]
    assert "Ligne 3, colonne date" in errors and "Ligne 3, colonne kind" in errors
    assert "Rien n&#39;a été importé" in errors
    assert count(app, Event, project_id) == 0

    good = HEADER + "E1,2019,Comité,,,,RT01,,,E2\nE2,2019-05,Règles,,,,RT02,,,FX1\nFX1,2021,Marché ouvert,,,,EFFET,,,\n"
    assert upload(client, project_id, good.encode(), "events.csv").status_code == 302
    assert [e.ref for e in rows(app, Event, project_id)] == ["E1", "E2"]
    # A second file replaces the project's content only once the box is ticked.
    again = upload(client, project_id, (HEADER + "A,2020,Autre,,,,RT04,,,\n").encode(), "events.csv")
    assert again.status_code == 400 and [e.ref for e in rows(app, Event, project_id)] == ["E1", "E2"]
    assert upload(client, project_id, (HEADER + "A,2020,Autre,,,,RT04,,,\n").encode(), "events.csv",
                  replace=True).status_code == 302
    assert [e.ref for e in rows(app, Event, project_id)] == ["A"] and count(app, Effect, project_id) == 0


def test_downloads_and_the_import_template(app, client, project_id):
    from openpyxl import load_workbook

    login(client, "coord@example.org")
    add_event(client, project_id, title="Comité formé", date="2019-02")
    exported = client.get(f"/coordination/projects/{project_id}/timeline.json")
    assert exported.headers["Content-Disposition"] == f"attachment; filename=timeline-{project_id}.json"
    document = json.loads(exported.data)
    assert [(e["ref"], e["date"], e["title"]) for e in document["events"]] == [("E01", "2019-02", "Comité formé")]
    assert client.get(f"/coordination/projects/{project_id}/timeline.svg").data.count(b"Comit\xc3\xa9 form\xc3\xa9") >= 1
    assert client.get(f"/coordination/projects/{project_id}/timeline.png").data[:4] == b"\x89PNG"
    assert client.get(f"/coordination/projects/{project_id}/timeline.pdf").data[:4] == b"%PDF"
    assert client.get(f"/coordination/projects/{project_id}/timeline.exe").status_code == 404
    template = client.get(f"/coordination/projects/{project_id}/import-template.xlsx")
    sheet = load_workbook(io.BytesIO(template.data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["ref", "date", "title", "description", "actors", "evidence", "rt",
                                                 "kind", "status", "leads_to"]
    assert sheet["B2"].number_format == "@"  # "2019-05" stays a month, not a day


def test_the_template_filled_in_imports_as_it_is(app, client, project_id):
    from openpyxl import load_workbook

    from tests.factories import xlsx_bytes

    login(client, "coord@example.org")
    template = client.get(f"/coordination/projects/{project_id}/import-template.xlsx")
    header = [cell.value for cell in load_workbook(io.BytesIO(template.data)).worksheets[0][1]]
    filled = xlsx_bytes([header, ["E1", "2019-05", "Comité", "", "", "", "RT01", "", "", "FX1"],
                         ["FX1", "2020", "Marché ouvert", "", "", "", "EFFET", "", "", ""]])
    assert upload(client, project_id, filled, "events.xlsx").status_code == 302
    (event,) = rows(app, Event, project_id)
    assert PartialDate.from_parts(event.date, event.date_precision) == PartialDate(2019, 5)
    assert count(app, EventLink, project_id) == 1


def test_the_rt_cards_show_the_twelve_definitions_by_domain(app, client, accounts):
    from questionnaires import load_instrument

    login(client, "coord@example.org")
    text = client.get("/coordination/rt-cards").get_data(as_text=True)
    instrument = load_instrument()
    assert text.count('class="rt-print"') == 12
    for rt in instrument.rts.values():
        assert shown(rt.definition.fr) in text and shown(rt.definition.en) in text
    positions = [text.index(f"<h2>{code} ·") for code in instrument.domains]
    assert positions == sorted(positions)


def test_editing_an_event_shows_it_as_typed_and_saves_the_change(app, client, project_id):
    login(client, "coord@example.org")
    add_event(client, project_id, date="2019-02", title="Comité formé", rt="RT10", kind="revers")
    event = rows(app, Event, project_id)[0]
    url = f"/coordination/projects/{project_id}/events/{event.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2019-02"' in page and 'value="Comité formé"' in page
    assert re.search(r'id="rt-RT10" value="RT10"[^>]*checked', page)
    emptied = client.post(url, data={"csrf_token": csrf_token(page), "date": "", "title": "", "rt": "RT10",
                                     "kind": "revers", "status": "realise"})
    assert emptied.status_code == 400
    assert "Inscrivez la date." in emptied.get_data(as_text=True)
    assert (rows(app, Event, project_id)[0].title, rows(app, Event, project_id)[0].rt) == ("Comité formé", "RT10")
    saved = client.post(url, data={"csrf_token": csrf_token(page), "date": "2019-03-08", "title": "Comité élargi",
                                   "rt": "RT11", "kind": "resultat", "status": "realise"})
    assert saved.status_code == 302
    changed = rows(app, Event, project_id)[0]
    assert (changed.ref, changed.date, changed.date_precision, changed.title, changed.rt, changed.kind) == (
        "E01", date(2019, 3, 8), "day", "Comité élargi", "RT11", "resultat")


def test_deleting_a_link_or_an_effect_asks_first(app, client, project_id):
    login(client, "coord@example.org")
    add_event(client, project_id, title="Comité formé")
    add_event(client, project_id, title="Règles adoptées", rt="RT02")
    add_effect(client, project_id, title="Marché ouvert")
    refs = ids(app, project_id)
    add_link(client, project_id, refs["E01"], refs["E02"])
    add_link(client, project_id, refs["E02"], refs["FX01"])
    first_link = rows(app, EventLink, project_id)[0]
    url = f"/coordination/projects/{project_id}/links/{first_link.id}/delete"
    asked = client.post(url, data={"csrf_token": token(client)})
    assert shown("Le lien « Comité formé » a mené à « Règles adoptées » sera supprimé") in asked.get_data(as_text=True)
    assert count(app, EventLink, project_id) == 2
    assert client.post(url, data={"csrf_token": token(client), "confirmed": "1"}).status_code == 302
    assert [link.target_effect_id is not None for link in rows(app, EventLink, project_id)] == [True]
    assert count(app, Event, project_id) == 2

    effect = rows(app, Effect, project_id)[0]
    url = f"/coordination/projects/{project_id}/effects/{effect.id}/delete"
    client.post(url, data={"csrf_token": token(client)})
    assert count(app, Effect, project_id) == 1
    client.post(url, data={"csrf_token": token(client), "confirmed": "1"})
    assert count(app, Effect, project_id) == 0 and count(app, EventLink, project_id) == 0
    assert count(app, Event, project_id) == 2
