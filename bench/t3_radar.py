"""T3 — radar charts: first render against a minimal matplotlib polar plot in the same
process; a repeated view served from the cache keyed by the data."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from bench.timing import best_of


def minimal_polar() -> bytes:
    from matplotlib import pyplot as plt

    figure = plt.figure()
    ax = figure.add_subplot(projection="polar")
    ax.plot([0, 1, 2, 3, 4, 5, 0], [50, 60, 70, 40, 55, 65, 50])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def run(quick: bool, directory: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    from app import create_app
    from partenariat.scoring import score, tally
    from partenariat.services.charts import chart_bytes
    from questionnaires import load_instrument

    instrument = load_instrument()
    rows = [{code: "ABC"[(i + j) % 3] for j, code in enumerate(instrument.items)} for i in range(12)]
    portrait = score(instrument, tally(instrument.items, rows), len(rows), 3)
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench",
                      "CHART_CACHE_DIR": tempfile.mkdtemp(dir=directory)})
    repeat = 3 if quick else 7
    minimal = best_of(minimal_polar, repeat=repeat)
    with app.test_request_context():
        counter = iter(range(10_000))

        def first():  # a new title each time, so the cache never answers
            chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", f"Table {next(counter)}")

        first_render = best_of(first, repeat=repeat)
        chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", "Cached")
        cached = best_of(lambda: chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", "Cached"),
                         repeat=repeat * 5)
    return {"first_render_ratio": first_render / minimal, "cached_ratio": cached / first_render,
            "_detail": {"minimal_s": minimal, "first_s": first_render, "cached_s": cached}}
