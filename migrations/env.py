"""Alembic environment: runs against the app's DATABASE_URL, batch mode for SQLite."""

from pathlib import Path

from alembic import context

import partenariat.models  # noqa: F401  (registers every table on Base.metadata)
from partenariat.config import from_environment
from partenariat.database import Base, make_engine

config = context.config


def _engine():
    url = config.attributes.get("database_url")
    if url is None:
        url = from_environment(Path(__file__).resolve().parent.parent / "instance")["DATABASE_URL"]
    return make_engine(url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
