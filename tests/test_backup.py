"""dump / restore: everything carried, into a new database of either engine, same portraits."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app import create_app
from partenariat import database
from partenariat.database import Base, db
from partenariat.services import demo
from partenariat.services.accounts import create_user
from partenariat.services.campaign import create_campaign
from partenariat.services.funding import set_shared
from partenariat.services.register import Fields, add
from tests.conftest import migrate


def test_dump_from_sqlite_restore_into_the_engine_under_test(tmp_path, app, runner, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    source_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    migrate(source_url)
    source = create_app({"DATABASE_URL": source_url, "SECRET_KEY": "s", "TESTING": True,
                         "CHART_CACHE_DIR": str(tmp_path / "cache")})
    with source.test_request_context():
        demo.seed(db())
        create_user(db(), "someone@example.org", "coordinator", ["Table de quartier des Érables (démo)"])
        add(db(), 1, Fields("Un désaccord", "détails", "vision", ["ajout"], "bloque"))
        set_shared(db(), db().get(demo.Campaign, 3), True)  # an audit entry too
        db().commit()
    source_runner = source.test_cli_runner()
    backup = tmp_path / "backup.json"
    assert source_runner.invoke(args=["dump", str(backup)]).exit_code == 0
    data = json.loads(backup.read_text())
    assert data["format"] == "partenariat-backup"
    assert all(len(data["tables"][name]) > 0 for name in
               ("user_account", "partnership", "campaign", "invitation", "response", "answer", "draft",
                "controversy", "controversy_report", "audit_entry", "partnership_access"))
    assert "token" not in json.dumps(data["tables"]["invitation"][0]).replace("token_hash", "")

    result = runner.invoke(args=["restore", str(backup)])  # the test's own database (SQLite or PostgreSQL)
    assert result.exit_code == 0, result.output
    for table in Base.metadata.sorted_tables:
        with source.app_context():
            expected = db().scalar(select(func.count()).select_from(table))
        with app.app_context():
            assert db().scalar(select(func.count()).select_from(table)) == expected, table.name
    for campaign_id in (1, 2, 3, 4):
        paths = []
        for name, target in (("before", source_runner), ("after", runner)):
            out = tmp_path / f"{name}-{campaign_id}.json"
            assert target.invoke(args=["export-json", str(campaign_id), str(out)]).exit_code == 0
            paths.append(out.read_text())
        assert paths[0] == paths[1]
    # Ids keep counting after the restored ones (PostgreSQL sequences are moved on).
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Nouvelle table", year=2027)
        assert campaign.id == 5
    # A second restore into the now non-empty database is refused, changing nothing.
    again = runner.invoke(args=["restore", str(backup)])
    assert again.exit_code == 1 and "not empty" in again.output
    database.dispose(source)


def test_restore_refuses_what_is_not_a_backup(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    result = runner.invoke(args=["restore", str(bad)])
    assert result.exit_code == 1 and "not a Partenariat backup" in result.output
    bad.write_bytes(b"\xff\x00garbage")
    assert "not a Partenariat backup" in runner.invoke(args=["restore", str(bad)]).output
