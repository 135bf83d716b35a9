"""Engine, declarative base and the request-scoped session."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
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
    return create_engine(url, pool_pre_ping=True)


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
