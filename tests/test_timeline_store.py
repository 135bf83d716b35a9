"""Timelines in the database and on the command line (SPEC §8): import-events (all or
nothing, errors by row and column, a re-import replaces), export-timeline in every format,
and the demo's project."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import AuditEntry, Effect, Event, EventLink, Partnership, Project
from partenariat.services import demo

PARTNERSHIP = "Concertation Val-des-Cèdres"
PROJECT = "Quartier nourricier"
HEADER = "ref,date,title,description,actors,evidence,rt,kind,status,leads_to"
GOOD = [
    "A,2014,Comité alimentation,Premier comité,CLSC; école,Procès-verbal,RT01,,,B",
    "B,2014-03,Mémoire sur l'alimentation,,,,RT04,resultat,realise,C;E1",
    "C,2015-06-03,Subvention refusée,,,,RT10,revers,,D",
    "D,2015-09,Subvention obtenue,,,,RT10,,,E1",
    "P,2017,Engagement de la Ville,,,,RT12,,prevu,",
    "E1,2016,Serre communautaire,Ouverte au public,,Photos,EFFET,,,",
]
TABLES = (Project, Event, Effect, EventLink)


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")


@pytest.fixture
def partnership(app):
    with app.app_context():
        db().add(Partnership(name=PARTNERSHIP))
        db().commit()


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode("utf-8")


def run(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def import_file(runner, tmp_path, data: bytes, name="events.csv", project=PROJECT, partnership=PARTNERSHIP):
    path = tmp_path / name
    path.write_bytes(data)
    return run(runner, "import-events", partnership, project, str(path))


def export(runner, tmp_path, name, project=PROJECT, *extra):
    path = tmp_path / name
    result = run(runner, "export-timeline", PARTNERSHIP, project, str(path), *extra)
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__tablename__: db().scalar(select(func.count()).select_from(model)) for model in TABLES}


def test_import_then_export_json_gives_the_same_timeline_and_the_hand_counted_profile(app, runner, partnership, tmp_path):
    result = import_file(runner, tmp_path, csv(*GOOD))
    assert result.exit_code == 0, result.output
    assert "5 events, 1 effects, 5 links" in result.output
    assert row_counts(app) == {"project": 1, "event": 5, "effect": 1, "event_link": 5}

    data = json.loads(export(runner, tmp_path, "t.json"))
    assert data["project"]["title"] == PROJECT
    assert [(e["ref"], e["date"], e["precision"], e["rt"], e["domain"], e["kind"], e["status"], e["leads_to"])
            for e in data["events"]] == [
        ("A", "2014", "year", "RT01", "D1", "resultat", "realise", ["B"]),
        ("B", "2014-03", "month", "RT04", "D2", "resultat", "realise", ["C", "E1"]),
        ("C", "2015-06-03", "day", "RT10", "D3", "revers", "realise", ["D"]),
        ("D", "2015-09", "month", "RT10", "D3", "resultat", "realise", ["E1"]),
        ("P", "2017", "year", "RT12", "D3", "resultat", "prevu", []),
    ]
    a = data["events"][0]
    assert (a["title"], a["description"], a["actors"], a["evidence"]) == (
        "Comité alimentation", "Premier comité", "CLSC; école", "Procès-verbal")
    assert data["effects"] == [{"ref": "E1", "date": "2016", "precision": "year", "title": "Serre communautaire",
                                "description": "Ouverte au public", "evidence": "Photos"}]
    assert [(link["from"], link["to"]) for link in data["links"]] == [
        ("A", "B"), ("B", "C"), ("B", "E1"), ("C", "D"), ("D", "E1")]
    profile = data["profile"]
    # Realised only: A (RT01), B (RT04), C (RT10 setback), D (RT10); P is planned.
    assert profile["rt"]["RT01"] == {"results": 1, "setbacks": 0}
    assert profile["rt"]["RT04"] == {"results": 1, "setbacks": 0}
    assert profile["rt"]["RT10"] == {"results": 1, "setbacks": 1}
    assert profile["rt"]["RT12"] == {"results": 0, "setbacks": 0}
    assert profile["domains"] == {"D1": {"results": 1, "setbacks": 0}, "D2": {"results": 1, "setbacks": 0},
                                  "D3": {"results": 1, "setbacks": 1}}
    assert profile["total"] == {"results": 3, "setbacks": 1}
    assert profile["n_planned_not_counted"] == 1
    assert sorted(profile["by_year"]) == ["2014", "2015"]
    assert profile["by_year"]["2015"]["domains"]["D3"] == {"results": 1, "setbacks": 1}
    # 1 result on RT04–RT08 and 1 on RT10–RT11: fewer than 4 together.
    assert profile["reading"]["key"] == "too_few"
    assert profile["reading"]["counts"] == {"do_it": 1, "make_it_happen": 1, "hinge": 0}
    with app.app_context():
        entry = db().scalar(select(AuditEntry).where(AuditEntry.action == "import_events"))
        assert (entry.actor, entry.detail["events"], entry.detail["project"]) == ("command line", 5, PROJECT)


BAD_FILES = [
    (csv(*GOOD, "X,2015,Titre,,,,RT13,,,"), "Row 8, column rt: 'RT13' is not an RT"),
    (csv(*GOOD, "X,2015,Titre,,,,RT02,revers,,"),
     "Row 8, column kind: a setback is only possible on RT09, RT10, RT11, RT12, not on RT02"),
    (csv(*GOOD, "X,2015,Titre,,,,RT01,,,Nowhere"), "Row 8, column leads_to: Nowhere is not a ref of this file"),
    (csv(*GOOD, "X,2015-02-30,Titre,,,,RT01,,,"), "Row 8, column date: '2015-02-30' is not a date"),
    (csv(*GOOD, "X,03/2015,Titre,,,,RT01,,,"), "Row 8, column date: '03/2015' is not a date"),
    (csv(*GOOD, "A,2015,Titre,,,,RT01,,,"), "Row 8, column ref: the ref A is already used on row 2"),
    (csv(*GOOD, ",2015,Titre,,,,RT01,,,"), "Row 8, column ref: every row needs a ref"),
    (csv(*GOOD, "X,2015,Titre,,,,RT01,maybe,,"), "Row 8, column kind: 'maybe' is not a kind"),
    (csv(*GOOD, "X,2015,Titre,,,,RT01,,done,"), "Row 8, column status: 'done' is not a status"),
    (csv(*GOOD, "X,2015,Effet,,,,EFFET,,,A"), "Row 8, column leads_to: an effect ends a chain: it cannot lead to A"),
    (csv(*GOOD, "X,2015,Effet,,,,EFFET,revers,,"), "Row 8, column kind: an effect has no kind"),
    (csv(*GOOD, "X,2015,Effet,,,,EFFET,,prevu,"), "Row 8, column status: an effect has no status"),
    (csv(*GOOD, "X,2015,,,,,RT01,,,"), "Row 8, column title: every row needs a title"),
    (csv("A,2014,Un,,,,RT01,,,B", "B,2015,Deux,,,,RT02,,,C", "C,2016,Trois,,,,RT03,,,A"),
     "Row 4, column leads_to: the link from C to A would close a cycle, since A already leads to C (A → B → C)"),
    (b"ref,date,titre,rt\nA,2014,Un,RT01\n", "Column title: this column is missing."),
    (b"ref,date,title,rt,colour\nA,2014,Un,RT01,bleu\n", "Column colour: unknown column."),
    (b"", "The file is empty."),
    (csv(), "The file has a header but no event or effect rows."),
    (csv(*GOOD, "X,2015,Titre,,,,RT01,,,,en trop"), "Row 8: this row has more cells than the header has columns."),
]


@pytest.mark.parametrize(("data", "words"), BAD_FILES)
def test_a_bad_file_writes_nothing_and_names_row_and_column(app, runner, partnership, tmp_path, data, words):
    before = row_counts(app)
    result = import_file(runner, tmp_path, data)
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and words in result.output
    assert row_counts(app) == before == {"project": 0, "event": 0, "effect": 0, "event_link": 0}
    # Into an existing project, the timeline it had stays whole.
    assert import_file(runner, tmp_path, csv(*GOOD), name="good.csv").exit_code == 0
    stored = row_counts(app)
    assert import_file(runner, tmp_path, data).exit_code == 1
    assert row_counts(app) == stored
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_unreadable_files_and_unknown_partnership_write_nothing(app, runner, partnership, tmp_path):
    result = import_file(runner, tmp_path, b"x", name="events.pdf")
    assert result.exit_code == 1 and "Only CSV and XLSX" in result.output
    result = import_file(runner, tmp_path, csv(*GOOD), partnership="Nobody")
    assert result.exit_code == 1 and "No partnership is named Nobody." in result.output
    result = run(runner, "import-events", PARTNERSHIP, PROJECT, str(tmp_path / "missing.csv"))
    assert result.exit_code == 1 and "Cannot read" in result.output
    assert row_counts(app) == {"project": 0, "event": 0, "effect": 0, "event_link": 0}


def test_messages_follow_the_shell_language(runner, partnership, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "fr")
    result = import_file(runner, tmp_path, csv(*GOOD, "X,2015,Titre,,,,RT02,revers,,"))
    assert result.exit_code == 1
    assert "Rien n'a été importé" in result.output
    assert "Ligne 8, colonne kind : un revers n'est possible que sur RT09, RT10, RT11, RT12, pas sur RT02." in result.output
    result = import_file(runner, tmp_path, csv(*GOOD))
    assert "5 événements, 1 effets, 5 liens" in result.output


def test_a_re_import_replaces_the_projects_timeline(app, runner, partnership, tmp_path):
    assert import_file(runner, tmp_path, csv(*GOOD)).exit_code == 0
    result = import_file(runner, tmp_path, csv("Z,2020,Nouveau départ,,,,RT02,,,F", "F,2021,Jardin,,,,EFFET,,,"))
    assert result.exit_code == 0 and "1 events, 1 effects, 1 links" in result.output
    assert row_counts(app) == {"project": 1, "event": 1, "effect": 1, "event_link": 1}
    data = json.loads(export(runner, tmp_path, "t.json"))
    assert [e["ref"] for e in data["events"]] == ["Z"]
    assert [e["ref"] for e in data["effects"]] == ["F"]
    assert data["links"] == [{"from": "Z", "to": "F", "rationale": ""}]
    # A ref of the old timeline can come back, now as an effect.
    assert import_file(runner, tmp_path, csv("A,2020,Un,,,,RT01,,,B", "B,2021,Deux,,,,EFFET,,,")).exit_code == 0
    assert row_counts(app) == {"project": 1, "event": 1, "effect": 1, "event_link": 1}


def test_the_workbook_imports_again_to_the_same_timeline(app, runner, partnership, tmp_path):
    assert import_file(runner, tmp_path, csv(*GOOD)).exit_code == 0
    workbook = export(runner, tmp_path, "t.xlsx")
    assert workbook.startswith(b"PK")
    result = import_file(runner, tmp_path, workbook, name="again.xlsx", project="Copie")
    assert result.exit_code == 0, result.output
    original = json.loads(export(runner, tmp_path, "a.json"))
    copy = json.loads(export(runner, tmp_path, "b.json", "Copie"))
    for key in ("events", "effects", "links", "profile"):
        assert copy[key] == original[key], key
    assert copy["project"]["title"] == "Copie"


def test_pictures_have_their_magic_bytes_and_bad_requests_a_message(runner, partnership, tmp_path):
    assert import_file(runner, tmp_path, csv(*GOOD)).exit_code == 0
    svg = export(runner, tmp_path, "t.svg")
    assert svg.startswith(b"<svg") and b'data-ref="E1"' in svg
    assert export(runner, tmp_path, "t.png").startswith(b"\x89PNG\r\n\x1a\n")
    assert export(runner, tmp_path, "t.pdf").startswith(b"%PDF-")
    assert "Serre communautaire" in export(runner, tmp_path, "fr.svg", PROJECT, "--lang", "fr").decode("utf-8")
    for args, words in [
        ((PARTNERSHIP, PROJECT, str(tmp_path / "t.docx")), "The output file must end in .json, .svg, .png, .pdf, .xlsx."),
        (("Nobody", PROJECT, str(tmp_path / "t.json")), "No partnership is named Nobody."),
        ((PARTNERSHIP, "Autre", str(tmp_path / "t.json")), f"The partnership {PARTNERSHIP} has no project titled Autre."),
    ]:
        result = run(runner, "export-timeline", *args)
        assert result.exit_code == 1 and words in result.output
    assert not (tmp_path / "t.docx").exists()


def test_the_demo_has_its_project(app):
    with app.app_context():
        session = db()
        demo.seed(session)
        demo.seed(session)  # a second seeding replaces, it does not add
        session.commit()
        project = session.scalar(select(Project).where(Project.title == demo.DEMO_PROJECT))
        assert session.get(Partnership, project.partnership_id).name == demo.DEMO_PARTNERSHIP
        events = session.scalars(select(Event).where(Event.project_id == project.id)).all()
        assert len(events) == 25
        assert session.scalar(select(func.count()).select_from(Effect).where(Effect.project_id == project.id)) == 3
        setbacks = sorted(e.rt for e in events if e.kind == "revers")
        assert setbacks == ["RT09", "RT10", "RT11", "RT12"]
        assert {e.date.year for e in events} == set(range(2019, 2026))
        assert session.scalar(select(func.count()).select_from(Project)) == 1
        from partenariat.services.timeline import load_timeline
        from partenariat.timeline.graph import chain_of

        timeline = load_timeline(session, project.partnership_id, project.id)
        # The last effect's chain goes back to the first committee.
        assert "E01" in {e.ref for e in chain_of(timeline, "FX3").events}
        demo.remove_demo(session)
        assert session.scalar(select(func.count()).select_from(Event)) == 0
