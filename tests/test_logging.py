"""Failures leave a trace in the log (standard logging, configured by create_app)."""

from __future__ import annotations

import logging

from app import create_app


def test_a_database_outage_is_logged(tmp_path, caplog):
    broken = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite", "SECRET_KEY": "x"})
    with caplog.at_level(logging.ERROR, logger="partenariat"):
        assert broken.test_client().get("/r/sometoken1234567890").status_code == 503
    [record] = [r for r in caplog.records if r.name == "partenariat.blueprints.main.errors"]
    assert "database unavailable" in record.getMessage() and "sometoken" not in record.getMessage()


def test_an_unreachable_mail_server_is_logged(app, caplog):
    from partenariat.services import mail

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    with app.test_request_context(), caplog.at_level(logging.ERROR, logger="partenariat"):
        try:
            mail._deliver([])
        except mail.MailServerUnreachable:
            pass
        else:
            raise AssertionError("port 1 should refuse the connection")
    assert any(r.name == "partenariat.services.mail" and "unreachable" in r.getMessage() for r in caplog.records)


def test_the_level_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTENARIAT_LOG_LEVEL", "warning")
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "SECRET_KEY": "x"})
    assert logging.getLogger("partenariat").level == logging.WARNING
