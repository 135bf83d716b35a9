"""Funders: opt-in sharing, scope, the aggregate workbook, the dashboard, and the audit log."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from partenariat.database import db
from partenariat.models import Answer, AuditEntry, Campaign, Partnership, Response
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import SECRET, shared_campaign

ITEMS = load_instrument().item_codes


@pytest.fixture
def funded(app, accounts):
    return {
        **accounts,
        # Table A: 2025 all B (50), 2026 all A (100); Table C: all C (0); Table D: 4 responses.
        "a25": shared_campaign(app, "Table A", 2025, ["B"] * 5),
        "a26": shared_campaign(app, "Table A", 2026, ["A"] * 6),
        "c26": shared_campaign(app, '=HYPERLINK("http://x","Table C")', 2026, ["C"] * 5, region="Estrie"),
        "d26": shared_campaign(app, "Table D", 2026, ["A"] * 4),
        "hidden": shared_campaign(app, "Table E", 2026, ["A"] * 7, shared=False),
    }


def export(runner, tmp_path, *args):
    out = tmp_path / "funder.xlsx"
    result = runner.invoke(args=["export-funder", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def all_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_workbook_has_only_shared_campaigns_and_blanks_below_k_funder(runner, tmp_path, funded, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    out = export(runner, tmp_path, "--lang", "en")
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Summary", "Data (long)", "By partnership", "Evolution", "Data dictionary"]
    wide = list(workbook["By partnership"].iter_rows(values_only=True))
    header, rows = wide[0], {(r[1], r[3]): r for r in wide[1:]}
    assert set(rows) == {("Table A", 2025), ("Table A", 2026), ('=HYPERLINK("http://x","Table C")', 2026), ("Table D", 2026)}
    d = rows[("Table D", 2026)]
    assert d[4] == 4 and all(v is None for v in d[5:-1]) and d[-1] == "fewer than 5 responses: scores withheld"
    assert rows[("Table A", 2026)][header.index("COND1")] == 100.0
    assert rows[("Table A", 2025)][header.index("D2")] == 50.0
    assert isinstance(rows[("Table A", 2025)][0], str)  # partnership id as text
    # Formula-looking names stay text.
    cell = next(c for row in workbook["By partnership"].iter_rows() for c in row if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"
    text = all_text(out)
    assert "Table E" not in text and SECRET not in text and "Marie Tremblay" not in text and "marie@example.org" not in text
    assert "communautaire" not in text.lower().replace("community", "")  # no sector breakdown


def test_numbers_equal_the_json_portraits(runner, tmp_path, funded, monkeypatch):
    import json

    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    workbook = load_workbook(export(runner, tmp_path, "--lang", "en"))
    tidy = list(workbook["Data (long)"].iter_rows(values_only=True))
    for campaign_id, name, year in [(funded["a25"], "Table A", 2025), (funded["a26"], "Table A", 2026)]:
        out = tmp_path / f"{campaign_id}.json"
        runner.invoke(args=["export-json", str(campaign_id), str(out)])
        portrait = json.loads(out.read_text())
        expected = {d["code"]: d["score"] for d in portrait["dimensions"] + portrait["domains"]}
        got = {r[4]: r[6] for r in tidy[1:] if r[1] == name and r[3] == year}
        assert got == expected


def test_summary_medians_quartiles_and_evolution(runner, tmp_path, funded, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    workbook = load_workbook(export(runner, tmp_path, "--lang", "en"))
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    stats = {(r[0], r[1]): r[2:6] for r in summary if isinstance(r[0], int) and r[1]}
    # 2026 with scores: Table A 100, Table C 0 (Table D withheld) → median 50; inclusive
    # quartiles of [0, 100]: 25 and 75.
    assert stats[(2026, "COND1")] == (2, 50.0, 25.0, 75.0)
    assert stats[(2025, "D3")] == (1, 50.0, 50.0, 50.0)
    assert len(workbook["Summary"]._charts) == 1
    evolution = list(workbook["Evolution"].iter_rows(values_only=True))
    assert evolution[0][-1] == "change, first to last year"
    a_rows = [r for r in evolution[1:] if r[1] == "Table A"]
    assert len(a_rows) == 15 and all(r[-1] == 50.0 for r in a_rows)
    assert not [r for r in evolution[1:] if r[1] != "Table A"]


def test_year_filter_and_french_labels(runner, tmp_path, funded):
    workbook = load_workbook(export(runner, tmp_path, "--year", "2025", "--lang", "fr"))
    assert workbook.sheetnames[0] == "Synthèse"
    rows = list(workbook.worksheets[2].iter_rows(values_only=True))[1:]
    assert [(r[1], r[3]) for r in rows] == [("Table A", 2025)]


def test_many_campaigns_stream_through_in_chunks(app, runner, tmp_path, monkeypatch):
    """More campaigns than one SQL chunk (400): every one is present, scored once."""
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    with app.app_context():
        session = db()
        partnership = Partnership(name="Réseau régional", region="Mauricie")
        session.add(partnership)
        session.flush()
        campaigns = [{"partnership_id": partnership.id, "year": 2000 + i % 20, "title": f"P{i}", "status": "closed",
                      "k": 3, "instrument_version": "2026.1", "languages": "fr", "published": False,
                      "shared_with_funders": True} for i in range(430)]
        session.execute(insert(Campaign), campaigns)
        ids = session.scalars(select(Campaign.id)).all()
        # Released at once (release 1), as a bulk load would be.
        responses = [{"id": f"{cid:08d}{n:024d}", "campaign_id": cid, "sector": "autre", "lang": "fr", "source": "import",
                      "release_number": 1} for cid in ids for n in range(5)]
        session.execute(insert(Response), responses)
        session.execute(insert(Answer), [{"response_id": r["id"], "item_code": "C01", "value": "A"} for r in responses])
        session.commit()
    workbook = load_workbook(export(runner, tmp_path, "--lang", "en"), read_only=True)
    rows = list(workbook["By partnership"].iter_rows(values_only=True))[1:]
    assert len(rows) == 430 and all(r[5] == 100.0 for r in rows)


def test_sharing_preview_share_withdraw_and_audit(app, client, accounts):
    campaign_id = shared_campaign(app, "Table A", 2026, ["B"] * 3, shared=False)
    login(client, "coord@example.org")
    page = client.get(f"/coordination/campaigns/{campaign_id}/sharing").get_data(as_text=True)
    assert "Exactement ce que les bailleurs de fonds recevraient" in page and "scores non transmis" in page
    assert "non partagée" in page
    client.post(f"/coordination/campaigns/{campaign_id}/sharing", data={"csrf_token": csrf_token(page), "shared": "1"})
    with app.app_context():
        assert db().get(Campaign, campaign_id).shared_with_funders
    client.post(f"/coordination/campaigns/{campaign_id}/sharing", data={"csrf_token": csrf_token(page), "shared": "0"})
    with app.app_context():
        assert not db().get(Campaign, campaign_id).shared_with_funders
        log = [(e.actor, e.action, e.detail["campaign_id"]) for e in db().scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert log == [("coord@example.org", "share", campaign_id), ("coord@example.org", "unshare", campaign_id)]
    assert client.get("/admin/audit").status_code == 403


def test_cli_share_and_export_are_logged(app, runner, tmp_path, accounts, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    campaign_id = shared_campaign(app, "Table A", 2026, ["A"] * 5, shared=False)
    assert "is shared" in runner.invoke(args=["share", str(campaign_id)]).output
    assert "no longer shared" in runner.invoke(args=["share", str(campaign_id), "--off"]).output
    export(runner, tmp_path, "--year", "2026")
    with app.app_context():
        entries = db().scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action) for e in entries] == [
            ("command line", "share"), ("command line", "unshare"), ("command line", "funder_export")]
        assert entries[-1].detail["year"] == 2026
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "command line" in page and "classeur des bailleurs exporté" in page


def test_funder_scope_dashboard_and_download(app, funded):
    funder = app.test_client()
    login(funder, "funder@example.org")  # linked to Table A only
    page = funder.get("/funder/").get_data(as_text=True)
    assert "Table A" in page and "Table D" not in page and "Table E" not in page and SECRET not in page
    response = funder.get("/funder/workbook.xlsx?lang=en")
    workbook = load_workbook(io.BytesIO(response.data))
    names = {r[1] for r in list(workbook["By partnership"].iter_rows(values_only=True))[1:]}
    assert names == {"Table A"}
    assert funder.get("/funder/medians.svg").mimetype == "image/svg+xml"
    for url in ("/coordination/", f"/coordination/campaigns/{funded['a25']}/portrait", "/admin/funders"):
        assert funder.get(url).status_code == 403
    with app.app_context():
        entry = db().scalars(select(AuditEntry).where(AuditEntry.action == "funder_export")).one()
        assert entry.actor == "funder@example.org" and entry.detail["partnerships"] == [funded["Table A"]]


def test_admin_links_a_funder_to_every_partnership(app, funded):
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = admin.get("/admin/funders").get_data(as_text=True)
    admin.post("/admin/funders", data={"csrf_token": csrf_token(page), "user_id": funded["funder@example.org"], "all": "1"})
    funder = app.test_client()
    login(funder, "funder@example.org")
    page = funder.get("/funder/").get_data(as_text=True)
    assert "Table D" in page and "moins de 5 réponses" in page and "Table E" not in page
    with app.app_context():
        assert db().scalars(select(AuditEntry.action)).all() == ["access_changed"]


def test_coordinators_and_visitors_cannot_open_funder_pages(client, funded):
    assert "/account/login" in client.get("/funder/").headers["Location"]
    login(client, "coord@example.org")
    assert client.get("/funder/").status_code == 403
    assert client.get("/funder/workbook.xlsx").status_code == 403
