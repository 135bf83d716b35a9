"""Synthetic data at scale, written with bulk inserts into a freshly migrated database."""

from __future__ import annotations

import random
import uuid

from sqlalchemy import insert

from app import create_app
from partenariat.database import db
from partenariat.models import Answer, Campaign, Partnership, Release, Response
from questionnaires import load_instrument

ITEMS = load_instrument().item_codes
REGIONS = ["Montréal", "Capitale-Nationale", "Estrie", "Mauricie", "Outaouais", "Bas-Saint-Laurent"]
SECTORS = ["communautaire", "institutionnel", "municipal", "citoyen", "philanthropique", "prive", "autre"]


def migrated_app(url: str):
    from alembic import command

    from partenariat.cli import alembic_config

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    return app


def shared_campaigns(app, partnerships: int, respondents: int, years: int = 1, seed: int = 7,
                     released: bool = True) -> None:
    """``partnerships`` × ``years`` shared campaigns of ``respondents`` responses each, in one
    final release each (results are read from releases) unless ``released`` is False."""
    rng = random.Random(seed)
    with app.app_context():
        session = db()
        session.execute(insert(Partnership), [
            {"name": f"Table {i:05d}", "region": REGIONS[i % len(REGIONS)]} for i in range(partnerships)])
        partnership_ids = [i + 1 for i in range(partnerships)]
        session.execute(insert(Campaign), [
            {"partnership_id": pid, "year": 2024 + y, "title": f"Portrait {2024 + y}", "status": "closed", "k": 3,
             "instrument_version": "2026.1", "languages": "fr,en", "published": False, "shared_with_funders": True}
            for pid in partnership_ids for y in range(years)])
        campaign_ids = list(range(1, partnerships * years + 1))
        responses, answers = [], []
        for campaign_id in campaign_ids:
            lean = rng.random()
            for _ in range(respondents):
                response_id = uuid.UUID(int=rng.getrandbits(128)).hex
                responses.append({"id": response_id, "campaign_id": campaign_id, "sector": rng.choice(SECTORS),
                                  "lang": "fr", "source": "import", "release_number": 1 if released else None})
                for code in ITEMS:
                    roll = rng.random()
                    value = "NSP" if roll < 0.05 else "A" if roll < 0.05 + lean * 0.6 else "B" if roll < 0.8 else "C"
                    answers.append({"response_id": response_id, "item_code": code, "value": value})
            if len(answers) > 200_000:
                session.execute(insert(Response), responses)
                session.execute(insert(Answer), answers)
                responses, answers = [], []
        if responses:
            session.execute(insert(Response), responses)
            session.execute(insert(Answer), answers)
        if released:
            session.execute(insert(Release), [
                {"campaign_id": cid, "number": 1, "n_link": 0, "n_entered": respondents, "final": True,
                 "groups": {"shown": False, "tallies": {}, "hidden": {}}} for cid in campaign_ids])
        session.commit()


def checkpoint(url: str) -> None:
    """Fold SQLite's write-ahead log into the database, as a running instance would have."""
    if url.startswith("sqlite"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            connection.execute(text("ANALYZE"))
        engine.dispose()
