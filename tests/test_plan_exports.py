"""export-plan (JSON and XLSX), the coordinator workbook's plan sheet, and the command's
refusals. The numbers are those of tests/test_plan_services.two_years, worked out there."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import AuditEntry
from partenariat.plan.model import ActionFields, TargetKind, TargetRef
from partenariat.services import exports, plan
from tests import factories
from tests.test_plan_services import COND1, ITEM_C01, two_years

TRICKY = '=HYPERLINK("http://evil.example","x")'


def planned(app) -> tuple[int, int]:
    """Two years; the 2025 retreat recorded two actions (one under way with notes, one done),
    and the 2026 retreat carried the unfinished one forward."""

    def build(session):
        earlier, later = two_years(session)
        plan.save_retreat(session, earlier.id, held_on=date(2025, 5, 20), method="compiled",
                          participants="CDC des Érables\nCIUSSS", decisions="Ouvrir le comité aux résidents.")
        point = plan.retreat_view(session, earlier.id).points[0]
        plan.save_reading(session, earlier.id, point.reading_id, consensus="C", reasons="Peu de résidents.",
                          dissent="", to_work_on=True)
        first = plan.add_action(session, earlier.id, ActionFields(
            title="Inviter les résidents", priority=True, expected_rt="RT07", lead="CDC", due_on=date(2025, 12, 1),
            how_we_will_know="Quatre résidents au comité", targets=(ITEM_C01, COND1)))
        plan.change_status(session, first, "en_cours", "Invitations envoyées.", date(2025, 6, 1))
        done = plan.add_action(session, earlier.id, ActionFields(title=TRICKY, targets=(TargetRef(TargetKind.RT,
                                                                                                   "RT01"),)))
        plan.change_status(session, done, "realisee", "Fait.", date(2025, 9, 1))
        plan.open_retreat(session, later.id, None)
        plan.carry_forward(session, later.id, [first])
        return earlier.id, later.id

    return factories.committed(app, build)


def run(runner, *args):
    return runner.invoke(args=[str(a) for a in args])


def test_export_plan_json_shape(app, runner, tmp_path):
    earlier_id, later_id = planned(app)
    out = tmp_path / "plan.json"
    result = run(runner, "export-plan", later_id, out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["campaign_id"], data["year"], data["schema_version"]) == (later_id, 2026, 1)
    (carried,) = data["actions"]
    assert carried["title"] == "Inviter les résidents" and carried["status"] == "en_cours"
    assert carried["targets"] == [{"kind": "item", "code": "C01", "controversy_id": None},
                                  {"kind": "dimension", "code": "COND1", "controversy_id": None}]
    assert carried["carried_from"][0]["year"] == 2025 and carried["notes"] == []
    earlier = data["last_year"]
    assert (earlier["campaign_id"], earlier["year"], earlier["release_number"], earlier["later_release_number"]) == \
        (earlier_id, 2025, 1, 2)
    first, done = earlier["actions"]
    assert first["notes"] == [{"noted_on": "2025-06-01", "status": "en_cours", "text": "Invitations envoyées."}]
    assert [(m["code"], m["before"], m["after"], m["delta"], m["comparable"]) for m in first["movement"]] == [
        ("C01", 0.0, 75.0, 75.0, True), ("COND1", 50.0, 62.5, 12.5, True)]
    assert done["status"] == "realisee" and done["movement"][0]["code"] == "RT01"
    assert "movement" not in carried  # this year's actions have nothing to compare yet
    # The 2025 file: its retreat, the group's reading beside the release's counts.
    out_2025 = tmp_path / "plan-2025.json"
    assert run(runner, "export-plan", earlier_id, out_2025).exit_code == 0
    data_2025 = json.loads(out_2025.read_text(encoding="utf-8"))
    retreat = data_2025["retreat"]
    assert retreat["participants"] == ["CDC des Érables", "CIUSSS"] and retreat["method"] == "compiled"
    assert retreat["points"] == [{"position": 1, "dimension": "COND1", "items": ["C01"],
                                  "distribution": {"C01": {"A": 0, "B": 0, "C": 3, "NSP": 0}}, "consensus": "C",
                                  "reasons": "Peu de résidents.", "dissent": "", "to_work_on": True}]
    assert data_2025["last_year"] is None
    with app.app_context():
        logged = db().scalars(select(AuditEntry.action)).all()
    assert logged.count("export_plan") == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_export_plan_xlsx_opens_with_one_sheet_per_table(app, runner, tmp_path, lang):
    earlier_id, later_id = planned(app)
    out = tmp_path / "plan.xlsx"
    assert run(runner, "export-plan", earlier_id, out, "--lang", lang).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == {"fr": ["Lac-à-l'épaule", "Points de discussion", "Actions", "Cibles", "Notes", "Évolution"],
                               "en": ["Retreat", "Discussion points", "Actions", "Targets", "Notes",
                                      "Movement"]}[lang]
    actions = list(book["Actions"].iter_rows(min_row=2))
    assert [row[1].value for row in actions] == ["Inviter les résidents", TRICKY]
    assert actions[1][1].data_type == "s"  # a title that looks like a formula stays text
    statuses = {"fr": ["en cours", "réalisée"], "en": ["under way", "done"]}[lang]
    assert [row[3].value for row in actions] == statuses
    notes = list(book[book.sheetnames[4]].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[4]) for row in notes] == [(actions[0][0].value, "Invitations envoyées."),
                                                   (actions[1][0].value, "Fait.")]
    points = list(book[book.sheetnames[1]].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[4], row[5], row[6], row[8]) for row in points] == [("C01", 0, 0, 3, "C")]
    # The 2026 file's Movement sheet: C01 0 → 75, COND1 50 → 62.5, RT01 50 → 62.5.
    out_2026 = tmp_path / "plan-2026.xlsx"
    assert run(runner, "export-plan", later_id, out_2026, "--lang", lang).exit_code == 0
    movement = list(load_workbook(out_2026)[book.sheetnames[5]].iter_rows(min_row=2, values_only=True))
    assert [(row[2].split(" · ")[0], row[3], row[4], row[5]) for row in movement] == [
        ("C01", 0, 75, 75), ("COND1", 50, 62.5, 12.5), ("RT01", 50, 62.5, 12.5)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_coordinator_workbook_has_the_plan_sheet(app, lang):
    _earlier_id, later_id = planned(app)
    with app.app_context():
        data = exports.coordinator_workbook(db(), later_id, lang)
    book = load_workbook(io.BytesIO(data))
    sheet = book[{"fr": "Plan d'action", "en": "Action plan"}[lang]]
    text = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    flat = " | ".join(str(c) for row in text for c in row)
    assert "Inviter les résidents" in flat
    assert {"fr": "Ce que nous avons décidé en 2025, ce qui a bougé",
            "en": "What we decided in 2025, what moved"}[lang] in flat
    moved = [row for row in text if row and row[0] == "Inviter les résidents" and len(row) >= 6]
    assert [row[3:6] for row in moved if str(row[2]).startswith("C01")] == [[0, 75, 75]]


def test_export_plan_bad_input_writes_nothing(app, runner, tmp_path):
    _earlier_id, later_id = planned(app)
    wrong = tmp_path / "plan.csv"
    result = run(runner, "export-plan", later_id, wrong)
    assert result.exit_code == 2 and ".json, .xlsx" in result.output and not wrong.exists()
    missing = tmp_path / "plan.json"
    result = run(runner, "export-plan", 999, missing)
    assert result.exit_code == 2 and "999" in result.output and not missing.exists()
    assert "Traceback" not in result.output
    with app.app_context():
        assert "export_plan" not in db().scalars(select(AuditEntry.action)).all()
