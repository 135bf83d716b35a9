"""Alembic on the engine under test: upgrade from empty gives the models' schema; each
revision downgrades one step and upgrades again; downgrade to base empties the database."""

from __future__ import annotations

import pytest
from alembic import command as alembic_command
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, create_engine, inspect

from app import create_app
from partenariat import database
from partenariat.cli import alembic_config
from partenariat.database import Base
from tests.conftest import POSTGRES, postgres_database


@pytest.fixture
def empty_url(tmp_path):
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'm.sqlite'}"
        return
    with postgres_database("empty") as (_name, url):
        yield url


def tables(url):
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        # Columns and CHECK constraints: a revision may change either.
        return {name: {c["name"] for c in inspector.get_columns(name)}
                | {f"check:{c['name']}" for c in inspector.get_check_constraints(name)}
                for name in inspector.get_table_names()}
    finally:
        engine.dispose()


def test_upgrade_downgrade_one_step_and_back(empty_url):
    app = create_app({"DATABASE_URL": empty_url, "SECRET_KEY": "x"})
    with app.app_context():
        config = alembic_config()
        alembic_command.upgrade(config, "head")
        schema = tables(empty_url)
        assert set(schema) - {"alembic_version"} == set(Base.metadata.tables)
        for table in Base.metadata.sorted_tables:
            checks = {f"check:{c.name}" for c in table.constraints if isinstance(c, CheckConstraint)}
            assert schema[table.name] == {c.name for c in table.columns} | checks, table.name
        heads = ScriptDirectory.from_config(config)
        for revision in heads.walk_revisions():
            if revision.down_revision is None:
                continue
            alembic_command.downgrade(config, revision.down_revision)
            alembic_command.upgrade(config, revision.revision)
            alembic_command.upgrade(config, "head")
            assert tables(empty_url) == schema, revision.revision
        alembic_command.downgrade(config, "-1")
        assert tables(empty_url) != schema  # one step down really changed the schema…
        alembic_command.upgrade(config, "head")
        assert tables(empty_url) == schema  # …and up again restores it
        alembic_command.downgrade(config, "base")
        assert set(tables(empty_url)) <= {"alembic_version"}
    database.dispose(app)
