"""Engine, declarative base and the request-scoped session."""

from __future__ import annotations

import time
from typing import NamedTuple

from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import Executable

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


def make_engine(url: str, **options) -> Engine:
    """The engine for ``url``; ``options`` go to ``create_engine`` (PostgreSQL only)."""
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
    engine = create_engine(url, **options)
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


ENGINE, AUTOCOMMIT_ENGINE, SESSIONMAKER = "partenariat.engine", "partenariat.autocommit_engine", "partenariat.sessionmaker"


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    engine = make_engine(url)
    app.extensions[ENGINE] = engine
    app.extensions[SESSIONMAKER] = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "postgresql":
        # A second small pool (connections open only once used) whose connections are in
        # autocommit from the start, for a statement that is a whole transaction by itself
        # (run_one_statement): no isolation level switched and reset around each use.
        # No reset on return either: with each statement its own transaction, there is never
        # one to roll back.
        app.extensions[AUTOCOMMIT_ENGINE] = make_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    app.teardown_appcontext(_close_session)


def dialect_name() -> str:
    """The current app's database: "postgresql" or "sqlite" (for statements written for each)."""
    return current_app.extensions[ENGINE].dialect.name


def dispose(app: Flask) -> None:
    """Close the pooled connections of ``app`` (before its database is copied or dropped)."""
    for name in (ENGINE, AUTOCOMMIT_ENGINE):
        if name in app.extensions:
            app.extensions[name].dispose()


def commit() -> None:
    """End the unit of work of a request or a CLI command: the one place that commits.

    Services only add and flush; the request (``App.dispatch_request``) or the command
    (``cli.command``) commits once, after the whole operation succeeded, so that a failure
    half-way leaves nothing half-written. A session that never began a transaction (nothing
    read, added or written through it) has nothing to commit.
    """
    session = g.get("db_session")
    if session is not None and session.in_transaction():
        session.commit()


def run_one_statement(statement: Executable, values: dict) -> tuple | None:
    """Run ``statement`` with ``values`` as a transaction by itself and return its first row,
    or None. For a statement that is correct on its own (nothing before or after it could roll
    it back), run before the request's own unit of work has written anything: a partner's
    click on a started link, the most frequent request of all (T6 in BENCHMARKS.md).

    It runs on a pool's connection through the driver's own cursor: none of SQLAlchemy's
    per-execution work (execution context, result metadata), which was an eighth of a click.
    SQLAlchemy still builds and compiles the statement (once, ``_for_driver``, with the
    conversions its types make) and keeps the pools, and failures come out as its errors (a
    lost connection is dropped from its pool and the outage page shows). The request's
    session is not involved.

    On PostgreSQL, on the autocommit pool: one round trip (no BEGIN, no COMMIT). On SQLite,
    committed at once on the ordinary pool: the database's write lock is held for the
    statement alone, not for the rest of the request, so two workers' clicks wait on each
    other far less.
    """
    autocommit = current_app.extensions.get(AUTOCOMMIT_ENGINE)
    engine = autocommit or current_app.extensions[ENGINE]
    try:
        pooled = engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as error:  # the database cannot be reached
        raise DBAPIError.instance(None, None, error, engine.dialect.loaded_dbapi.Error) from error
    try:
        return _first_row(engine.dialect, pooled, statement, values, commit=autocommit is None)
    finally:
        pooled.close()  # (after a failure, the pool's reset on return rolls back)


def run_in_session(session: Session, statement: Executable, values: dict) -> tuple | None:
    """The first row of ``statement`` run with ``values`` (None if it returns none) in
    ``session``'s transaction, on its connection, committed (or rolled back) with the rest of
    the unit of work, through the driver's cursor as ``run_one_statement`` does. For the
    statements of a hot path (a submission, T2)."""
    connection = session.connection()
    return _first_row(connection.dialect, connection.connection, statement, values, commit=False)


def _first_row(dialect: Dialect, pooled, statement: Executable, values: dict, commit: bool) -> tuple | None:
    """Run the compiled ``statement`` on the driver connection of ``pooled`` (a pool's
    connection), commit if asked, and read its first row with the types' conversions."""
    prepared = _for_driver(dialect, statement, values)
    arguments = dict(prepared.fixed)
    for name, value in values.items():
        convert = prepared.converters.get(name)
        arguments[name] = convert(value) if convert else value
    if prepared.order:  # a driver whose parameters are positional (SQLite's "?")
        arguments = [arguments[name] for name in prepared.order]
    cursor = None
    try:
        cursor = pooled.dbapi_connection.cursor()
        cursor.execute(prepared.sql, arguments)
        row = cursor.fetchone() if cursor.description is not None else None  # (an INSERT returns no row)
        cursor.close()  # (SQLite finishes the statement here: RETURNING steps row by row)
        if commit:
            pooled.dbapi_connection.commit()
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, pooled.dbapi_connection, cursor)
        if lost:
            pooled.invalidate(error)  # the pool connects afresh for the next request
        raise DBAPIError.instance(prepared.sql, arguments, error, dialect.loaded_dbapi.Error,
                                  connection_invalidated=lost) from error
    if row is None or not prepared.readers:
        return row
    return tuple(read(value) if read else value for read, value in zip(prepared.readers, row, strict=True))


class _DriverStatement(NamedTuple):
    sql: str
    fixed: dict  # the values the statement carries itself (SQLAlchemy binds literals too)
    converters: dict  # bind name → the type's conversion of a value, where it has one
    order: tuple  # the parameters' names in order, for a positional driver; () for a named one
    readers: tuple  # per returned column, the type's conversion of what the driver gives, or None


_driver_statements: dict[tuple[Executable, str], _DriverStatement] = {}


def _for_driver(dialect: Dialect, statement: Executable, values: dict) -> _DriverStatement:
    """``statement`` compiled once for ``dialect``, with the value conversions SQLAlchemy
    would apply, so that running it on the driver's cursor stores and reads the same."""
    key = (statement, dialect.name)
    found = _driver_statements.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect)
        converters = {name: convert for name, bind in compiled.binds.items()
                      if (convert := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        fixed = {name: converters[name](value) if name in converters else value
                 for name, value in compiled.construct_params(values).items() if name not in values}
        readers = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in getattr(statement, "exported_columns", ()))
        found = _driver_statements.setdefault(key, _DriverStatement(
            str(compiled), fixed, converters, tuple(compiled.positiontup or ()) if compiled.positional else (),
            readers if any(readers) else ()))
    return found


def db() -> Session:
    """The session of the current request or CLI command; closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[SESSIONMAKER]()
    return g.db_session


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
