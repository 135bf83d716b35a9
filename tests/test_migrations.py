"""Alembic: upgrade from empty gives the models' schema; downgrade to base empties it."""

from __future__ import annotations

from alembic import command as alembic_command
from sqlalchemy import create_engine, inspect

from app import create_app
from partenariat.cli import alembic_config
from partenariat.database import Base


def test_upgrade_matches_models_and_downgrade_removes_everything(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        alembic_command.upgrade(alembic_config(), "head")
        engine = create_engine(url)
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables)
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in inspect(engine).get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
        alembic_command.downgrade(alembic_config(), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
    app.extensions["partenariat.engine"].dispose()
