"""T9 — making a release of 500 waiting responses, against one SELECT of their answer counts
(the query every portrait runs), on the same database in the same run."""

from __future__ import annotations

from pathlib import Path

from bench import data
from bench.timing import best_of
from partenariat import database


def run(quick: bool, directory: Path) -> dict:
    from sqlalchemy import update

    from partenariat.database import db
    from partenariat.models import Campaign, ControversyReport, Release, Response
    from partenariat.services.portrait import answer_counts
    from partenariat.services.releases import make_release

    url = f"sqlite:///{directory / 'release.sqlite'}"
    app = data.migrated_app(url)
    size = 500
    data.shared_campaigns(app, partnerships=1, respondents=size, released=False)
    data.checkpoint(url)
    repeat = 5 if quick else 15
    with app.app_context():
        session = db()
        campaign = session.get(Campaign, 1)

        def counts():
            return answer_counts(session, [1])

        def one_release():
            make_release(session, campaign)
            session.flush()
            # Back to "waiting", so that every round releases the same 500 responses.
            session.rollback()

        # The SELECT the portrait runs, over the 500 responses once released.
        session.execute(update(Response).where(Response.campaign_id == 1).values(release_number=1))
        baseline = best_of(counts, repeat=repeat)
        session.rollback()
        release = best_of(one_release, repeat=repeat)
        assert session.query(Release).count() == 0 and session.query(ControversyReport).count() == 0
    database.dispose(app)
    return {"ratio_vs_select": release / baseline,
            "_detail": {"responses": size, "release_s": release, "select_counts_s": baseline}}
