"""T3 — radar charts: first render against a minimal matplotlib polar plot of the same size in
the same process; a repeated view served from the cache keyed by the data."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from bench.timing import best_of


def minimal_polar(same_size: bool = True) -> bytes:
    """A polar plot with one polygon, as plain as matplotlib draws it. Of the same size as our
    PNG (1728 px since the radars were made for projection, issue 11): most of a render is
    rasterising and compressing pixels, and our PNG has nearly ten times the pixels of
    matplotlib's default figure, which the baseline used until 2026-12-07."""
    from matplotlib import pyplot as plt

    from exports.radar import PNG_DPI, SIZE_INCHES

    figure = plt.figure(figsize=(SIZE_INCHES, SIZE_INCHES) if same_size else None)
    ax = figure.add_subplot(projection="polar")
    ax.plot([0, 1, 2, 3, 4, 5, 0], [50, 60, 70, 40, 55, 65, 50])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI if same_size else None)
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
    default_size = best_of(lambda: minimal_polar(same_size=False), repeat=repeat)
    with app.test_request_context():
        counter = iter(range(10_000))

        def first():  # a new title each time, so the cache never answers
            chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", f"Table {next(counter)}")

        first_render = best_of(first, repeat=repeat)
        chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", "Cached")
        cached = best_of(lambda: chart_bytes(instrument, [("Portrait", portrait)], "conditions", "fr", "png", "Cached"),
                         repeat=repeat * 5)
    return {"first_render_ratio": first_render / minimal, "cached_ratio": cached / first_render,
            "_detail": {"minimal_s": minimal, "first_s": first_render, "cached_s": cached,
                        # the earlier baseline (matplotlib's default 640 × 480 figure), for comparison
                        "minimal_default_size_s": default_size, "ratio_vs_default_size": first_render / default_size}}
