"""Fixtures in the spirit of flaskr's: an app per test on its own freshly migrated database.

SQLite by default. With PARTENARIAT_TEST_POSTGRES set (scripts/test.sh sets it for its second
run), every test gets its own PostgreSQL database, copied from a migrated template.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command as alembic_command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from partenariat import database
from partenariat.cli import alembic_config
from partenariat.database import db
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite

POSTGRES = os.environ.get("PARTENARIAT_TEST_POSTGRES")
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Compile the French catalog when it is newer than its .mo, so that a bare ``pytest``
    works as well as scripts/test.sh (which runs pybabel compile)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def migrate(url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "template"})
    with app.app_context():
        alembic_command.upgrade(alembic_config(), "head")
    database.dispose(app)


def postgres_admin():
    return create_engine(POSTGRES, isolation_level="AUTOCOMMIT")


@contextmanager
def postgres_database(prefix: str, template: str | None = None):
    """A new PostgreSQL database (copied from ``template`` if given); yields (name, url)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = postgres_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield name, make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def small_instrument():
    """A four-item instrument (tests/instrument/v1.0) for tests of rules: its numbers never
    move when the shipped questionnaire changes."""
    from questionnaires.loader import load_folder

    return load_folder(ROOT / "tests" / "instrument" / "v1.0", "1.0")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """Migrate once per run; each test gets a copy (migrations take ~1 s, copies milliseconds)."""
    if POSTGRES:
        with postgres_database("template") as (name, url):
            migrate(url)
            yield name
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    migrate(f"sqlite:///{path}")
    yield path


@pytest.fixture
def database_url(tmp_path, migrated_template):
    if POSTGRES:
        with postgres_database("test", template=migrated_template) as (_name, url):
            yield url
        return
    path = tmp_path / "test.sqlite"
    shutil.copy(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "CHART_CACHE_DIR": str(tmp_path / "chart-cache")})
    yield app
    database.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db()


@pytest.fixture
def make_campaign(app):
    """Create a campaign and invitations; returns (campaign_id, [tokens])."""

    def make(n_links=1, *, status="open", k=3, partnership="Table test", year=2026, **invitee):
        with app.app_context():
            campaign = create_campaign(db(), partnership_name=partnership, year=year, k=k, status=status)
            pairs = invite(db(), campaign, [Invitee(**invitee) for _ in range(n_links)])
            db().commit()
            return campaign.id, [token for _inv, token in pairs]

    return make


CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def accounts(app):
    """Two partnerships; a coordinator of the first, another admin, a funder. Returns ids."""
    from partenariat.models import Partnership
    from partenariat.services.accounts import create_user

    with app.app_context():
        session = db()
        ids = {}
        for email, role, partnerships in [
            ("coord@example.org", "coordinator", ["Table A"]),
            ("other@example.org", "coordinator", ["Table B"]),
            ("admin@example.org", "admin", []),
            ("funder@example.org", "funder", ["Table A"]),
        ]:
            user, _token = create_user(session, email, role, partnerships)
            user.set_password("correct horse battery")
            session.commit()
            ids[email] = user.id
        for name in ("Table A", "Table B"):
            ids[name] = session.query(Partnership).filter_by(name=name).one().id
        return ids


def login(client, email, password="correct horse battery", next_url=None):
    page = client.get("/account/login" + (f"?next={next_url}" if next_url else ""))
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/account/login", data=data)
