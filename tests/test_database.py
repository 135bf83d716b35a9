"""A pooled PostgreSQL connection that the server dropped (a restart, a network cut): the
request after a pause never sees it; a request right after the drop gets the honest outage
page and the next one recovers. Pinging only idle connections (partenariat.database) must
keep both."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from partenariat import database
from tests.conftest import POSTGRES, postgres_admin
from tests.test_partner_autosave import click, opened, stored

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs a PostgreSQL server to drop connections")


def _pooled_backend(app) -> int:
    """Serve one request so that the pool holds a connection; the server's process id of it."""
    engine = app.extensions["partenariat.engine"]
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    assert engine.pool.checkedin() == 1
    return pid


def _drop(pid: int) -> None:
    admin = postgres_admin()
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True
    admin.dispose()


def test_a_connection_dropped_during_a_pause_is_replaced_unseen(app, client, make_campaign, monkeypatch):
    _cid, [token] = make_campaign(sector="municipal")
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection has "paused"
    _drop(_pooled_backend(app))
    csrf = opened(client, token)
    assert click(client, token, csrf, "C01", "A").get_json()["saved"] is True


def test_a_connection_dropped_between_busy_requests_gives_the_outage_page_then_recovers(
        app, client, make_campaign, monkeypatch, caplog):
    _cid, [token] = make_campaign(sector="municipal")
    csrf = opened(client, token)
    assert click(client, token, csrf, "C01", "A").get_json()["saved"] is True  # started: the quick way next
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)  # busy: no connection is pinged
    _drop(_pooled_backend(app))
    with caplog.at_level(logging.ERROR, logger="partenariat"):
        failed = click(client, token, csrf, "C02", "B")
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "60"
    assert "ne peut pas joindre sa base" in failed.get_data(as_text=True)
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    # The disconnect emptied the pool: the partner's retry connects afresh and is saved.
    retried = click(client, token, csrf, "C02", "B").get_json()
    assert (retried["saved"], retried["answered"]) == (True, 2)
    assert stored(app) == {"C01": "A", "C02": "B"}
