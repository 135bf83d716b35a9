"""Where the load measures (T2, T6) keep their data: a SQLite file in the run's directory, or a
new database on a PostgreSQL server — the one ``PARTENARIAT_BENCH_DATABASE_URL`` names (an
account that may CREATE DATABASE, as scripts/test.sh's PARTENARIAT_TEST_POSTGRES), else the
throw-away server of scripts/postgres.sh, started for the run and removed after it."""

from __future__ import annotations

import os
import subprocess
import uuid
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sqlite", "postgresql")


class SQLite:
    engine = "sqlite"

    def __init__(self, directory: Path):
        self.directory = directory

    def url(self, name: str) -> str:
        return f"sqlite:///{self.directory / f'{name}.sqlite'}"

    def server_pids(self, _url: str) -> list[int]:
        return []  # SQLite works inside the application's processes


class PostgreSQL:
    engine = "postgresql"

    def __init__(self, admin_url: str):
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def url(self, name: str) -> str:
        database = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        self.created.append(database)
        return make_url(self.admin.url).set(database=database).render_as_string(hide_password=False)

    def server_pids(self, url: str) -> list[int]:
        """The server processes serving the connections open to the database of ``url``."""
        with self.admin.connect() as connection:
            return list(connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                                           {"name": make_url(url).database}).scalars())

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for database in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        self.admin.dispose()


@contextmanager
def throwaway_postgres():
    """scripts/postgres.sh's server (the test suite's), kept for as long as a bash that sourced
    the script waits on its standard input; closing it stops the server and removes its data,
    through the script's own stop function, even if this process dies."""
    shell = subprocess.Popen(
        ["bash", "-c", 'source scripts/postgres.sh && trap stop_test_postgres EXIT && '
                       'echo "$PARTENARIAT_TEST_POSTGRES" && read -r _'],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = shell.stdout.readline().strip()
        if not url:
            raise RuntimeError("scripts/postgres.sh did not start a PostgreSQL server (see its message above)")
        yield url
    finally:
        shell.stdin.close()
        shell.wait(timeout=60)


@contextmanager
def databases(engine: str, directory: Path):
    if engine == "sqlite":
        yield SQLite(directory)
        return
    configured = os.environ.get("PARTENARIAT_BENCH_DATABASE_URL")
    with (nullcontext(configured) if configured else throwaway_postgres()) as admin_url:
        server = PostgreSQL(admin_url)
        try:
            yield server
        finally:
            server.drop_all()

