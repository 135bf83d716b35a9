"""Engine, declarative base and the request-scoped session."""

from __future__ import annotations

import time

from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Named constraints keep Alembic batch migrations on SQLite and PostgreSQL identical.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL + busy timeout let several workers share the file; foreign keys are off
            # by default in SQLite. synchronous=NORMAL is WAL's recommended setting: a commit
            # survives any crash of the application (a killed worker included); only an
            # operating-system crash or power cut can lose the last commits.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    engine = create_engine(url)
    _ping_after_idle(engine)
    return engine


# A pooled connection idle for longer than this is pinged before its next use.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it has sat idle for a while.

    ``pool_pre_ping`` pings on every checkout: a round trip in each request (a click costs
    about four without it, T6). Under load a connection comes back into use within
    milliseconds, when a ping tells nothing new; after a pause (a night, a database restart,
    a dropped network) it is pinged, and a dead one is replaced before the request sees it
    (DisconnectionError makes the pool connect afresh). A connection lost in the second after
    its last use is the one case left: that request gets the outage page (503, Retry-After,
    logged), SQLAlchemy recognises the disconnect and empties the pool, and the next request
    connects afresh (tests/test_database.py).
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            # (As pool_pre_ping, the ping's transaction is the one the request goes on with.)
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError(str(error).splitlines()[0] if str(error) else "lost") from error
            raise


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["partenariat.engine"] = engine
    app.extensions["partenariat.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def commit() -> None:
    """End the unit of work of a request or a CLI command: the one place that commits.

    Services only add and flush; the request (``App.dispatch_request``) or the command
    (``cli.command``) commits once, after the whole operation succeeded, so that a failure
    half-way leaves nothing half-written.
    """
    session = g.get("db_session")
    if session is not None:
        session.commit()


def db() -> Session:
    """The session of the current request or CLI command; closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["partenariat.sessionmaker"]()
    return g.db_session


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
