"""A pooled PostgreSQL connection that the server dropped (a restart, a network cut): the
request after a pause never sees it; a request right after the drop gets the honest outage
page and the next one recovers. Pinging only idle connections (partenariat.database) must
keep both, in each of the app's two pools: the ordinary one (pages, the first click, every
unit of work) and the autocommit one (a started link's click, ``run_one_statement``)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from partenariat import database
from tests.conftest import POSTGRES, postgres_admin
from tests.test_partner_autosave import click, opened, stored
from tests.test_partner_journey import page

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs a PostgreSQL server to drop connections")

POOLS = (database.ENGINE, database.AUTOCOMMIT_ENGINE)


def _started(client, make_campaign) -> tuple[str, str]:
    """A link that has answered once (the ordinary way, so the ordinary pool holds a
    connection) and then once more (the quick way, so the autocommit pool holds one too)."""
    _cid, [token] = make_campaign(sector="municipal")
    csrf = opened(client, token)
    assert click(client, token, csrf, "C01", "A").get_json()["saved"] is True
    assert click(client, token, csrf, "C02", "B").get_json()["saved"] is True
    return token, csrf


def _drop_pooled_connections(app) -> None:
    """End, on the server, the process behind the one idle connection of each pool."""
    pids = []
    for name in POOLS:
        engine = app.extensions[name]
        assert engine.pool.checkedin() == 1, name
        connection = engine.raw_connection()  # the pooled one (its ping is not due)
        try:
            pids.append(connection.driver_connection.info.backend_pid)
        finally:
            connection.close()
    admin = postgres_admin()
    with admin.connect() as connection:
        for pid in pids:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True
    admin.dispose()


def test_the_two_pools_are_the_ordinary_one_and_an_autocommit_one(app):
    ordinary, alone = (app.extensions[name] for name in POOLS)
    with ordinary.connect() as connection:
        assert connection.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
        assert connection.connection.driver_connection.autocommit is False
    with alone.connect() as connection:
        assert connection.connection.driver_connection.autocommit is True


def test_connections_dropped_during_a_pause_are_replaced_unseen(app, client, make_campaign, monkeypatch):
    token, csrf = _started(client, make_campaign)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _drop_pooled_connections(app)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection has "paused"
    assert click(client, token, csrf, "C03", "C").get_json()["saved"] is True  # the quick way
    page(client, f"/r/{token}/conditions")  # the ordinary way (200, or the helper fails)
    assert stored(app) == {"C01": "A", "C02": "B", "C03": "C"}


@pytest.mark.parametrize("way", ["quick click", "page"])
def test_a_connection_dropped_between_busy_requests_gives_the_outage_page_then_recovers(
        app, client, make_campaign, monkeypatch, caplog, way):
    token, csrf = _started(client, make_campaign)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)  # busy: no connection is pinged
    _drop_pooled_connections(app)

    def request():
        if way == "page":
            return client.get(f"/r/{token}/conditions")
        return click(client, token, csrf, "C03", "C")

    with caplog.at_level(logging.ERROR, logger="partenariat"):
        failed = request()
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "60"
    assert "ne peut pas joindre sa base" in failed.get_data(as_text=True)
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    # The lost connection left its pool: the partner's retry connects afresh.
    retried = request()
    assert retried.status_code == 200
    if way == "quick click":
        assert (retried.get_json()["saved"], retried.get_json()["answered"]) == (True, 3)
        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # (the other pool's connection is dead too)
        assert stored(app) == {"C01": "A", "C02": "B", "C03": "C"}


def test_an_unreachable_server_for_a_click_is_the_outage_page_not_an_error(app, client, make_campaign, monkeypatch,
                                                                           caplog):
    """The quick way runs on the driver's cursor: a failure to connect must still come out as
    SQLAlchemy's error, which the outage page handles, and never store anything."""
    token, csrf = _started(client, make_campaign)
    unreachable = database.make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none",
                                       isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
    monkeypatch.setitem(app.extensions, database.AUTOCOMMIT_ENGINE, unreachable)
    with caplog.at_level(logging.ERROR, logger="partenariat"):
        failed = click(client, token, csrf, "C03", "C")
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "60"
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    assert stored(app) == {"C01": "A", "C02": "B"}
