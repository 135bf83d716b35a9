"""Radar charts a room can read: measured on the rendered figure, not eyeballed.

Every axis label must sit clear of the ring numbers, of the other labels, of the title and
of the legends, and inside the picture; a missing score is a gap, never a point at 0."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from flask_babel import force_locale
from matplotlib.backends.backend_agg import FigureCanvasAgg

from exports import radar
from exports.portrait_charts import DIMENSIONS, axes, bands, chart, texts, values
from partenariat.scoring import AnswerCounts, score
from questionnaires import load_instrument

INSTRUMENT = load_instrument()


def portrait(seed=1, skip=()):
    rng = random.Random(seed)
    data = {c: AnswerCounts(A=rng.randint(0, 5), B=rng.randint(0, 5), C=rng.randint(0, 5))
            for c in INSTRUMENT.items if c not in skip}
    return score(INSTRUMENT, data, 15, 3)


def figure_for(dimension, lang, series):
    layout = axes(INSTRUMENT, dimension, lang)
    codes = [c for c, _l in layout]
    lines = [radar.Series(label, values(p, dimension, codes)) for label, p in series]
    with force_locale(lang):
        figure = radar.draw([label for _c, label in layout], lines, 18 if dimension == "rt" else 20,
                            bands(INSTRUMENT, lang), texts(dimension, "Table des Tilleuls"))
    FigureCanvasAgg(figure).draw()
    return figure


def boxes(figure, gid):
    renderer = figure.canvas.get_renderer()
    found = [t for t in figure.findobj(lambda a: hasattr(a, "get_gid") and a.get_gid() == gid)]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in found]


def overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_labels_clear_the_rings_each_other_the_title_and_the_legends(app, dimension, lang):
    with app.app_context():
        figure = figure_for(dimension, lang, [("Portrait 2025", portrait(1)), ("Portrait 2026", portrait(2))])
        labels, rings = boxes(figure, "axis-label"), boxes(figure, "ring-number")
        titles = boxes(figure, "title") + boxes(figure, "subtitle")
        assert len(labels) == len(axes(INSTRUMENT, dimension, lang)) and len(rings) == 4 and len(titles) == 2
        renderer = figure.canvas.get_renderer()
        legends = [legend.get_window_extent(renderer) for legend in figure.legends]
        assert len(legends) == 2  # the series and the bands
        page = figure.bbox
        for text, box in labels:
            assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, text
            for ring, ring_box in rings:
                assert not overlap(box, ring_box), (text, ring)
            for other, other_box in titles:
                assert not overlap(box, other_box), (text, other)
            for legend in legends:
                assert not overlap(box, legend), text
        for i, (text, box) in enumerate(labels):
            for other, other_box in labels[i + 1:]:
                assert not overlap(box, other_box), (text, other)
        # The labels sit outside the circle: the axes' circle does not reach into any of them
        # further than its own edge (a label's nearest corner is at least the radius away).
        circle = figure.axes[0].get_window_extent(renderer)
        cx, cy, radius = (circle.x0 + circle.x1) / 2, (circle.y0 + circle.y1) / 2, circle.width / 2
        for text, box in labels:
            nearest_x = min(max(cx, box.x0), box.x1)
            nearest_y = min(max(cy, box.y0), box.y1)
            assert math.hypot(nearest_x - cx, nearest_y - cy) >= radius * 0.99, text


def test_title_says_what_the_chart_shows_in_the_chosen_language(app):
    with app.app_context():
        titles = {}
        for lang in ("fr", "en"):
            for dimension in DIMENSIONS:
                figure = figure_for(dimension, lang, [("2026", portrait())])
                titles[lang, dimension] = boxes(figure, "title")[0][0]
    assert titles["en", "conditions"] == "The six partnership conditions"
    assert titles["fr", "conditions"] == "Les six conditions du partenariat"
    assert titles["fr", "rt"] == "Les douze résultats transitoires (RT)"
    assert len(set(titles.values())) == 8


def test_bands_are_the_instrument_bands_shaded_behind_the_rings():
    shaded = bands(INSTRUMENT, "en")
    assert [(b.low, b.high) for b in shaded] == [(0.0, 50.0), (50.0, 75.0), (75.0, 100.0)]
    assert [b.label for b in shaded] == ["To work on (0–50)", "To consolidate (50–75)", "Strength (75–100)"]


def test_png_is_high_resolution_and_pdf_is_a_pdf_both_deterministic(app):
    with app.app_context():
        series = [("Portrait 2026", portrait())]
        png = chart(INSTRUMENT, series, "conditions", "fr", "png", "Table")
        pdf = chart(INSTRUMENT, series, "conditions", "fr", "pdf", "Table")
        assert chart(INSTRUMENT, series, "conditions", "fr", "pdf", "Table") == pdf
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")  # IHDR
    assert width >= 1600
    assert pdf.startswith(b"%PDF")


def test_a_missing_score_is_a_gap_and_an_empty_series_draws_nothing(app):
    # COND2 is C03 alone: without C03 the 2026 line has no COND2 point.
    with app.app_context():
        empty = score(INSTRUMENT, {}, 15, 3)  # nobody answered A, B or C
        figure = figure_for("conditions", "en", [("2025", empty), ("2026", portrait(skip=("C03",)))])
    lines = [line for line in figure.axes[0].get_lines() if line.get_gid() is None and len(line.get_ydata()) == 7]
    assert len(lines) == 1  # the empty year draws no line at all, not a polygon at 0
    ydata = list(lines[0].get_ydata())
    assert math.isnan(ydata[1]) and not any(v == 0 for v in ydata if not math.isnan(v))
    legend_texts = [t.get_text() for legend in figure.legends for t in legend.get_texts()]
    assert "2025: no score" in legend_texts


def test_a_chart_with_nothing_to_draw_says_so(app):
    with app.app_context():
        figure = figure_for("keys", "en", [("2025", score(INSTRUMENT, {}, 15, 3))])
    assert "No score to draw" in [t.get_text() for t in figure.axes[0].texts]
    assert not [line for line in figure.axes[0].get_lines() if len(line.get_ydata()) == 6]


def test_series_values_keep_exact_scores():
    p = score(INSTRUMENT, {"C01": AnswerCounts(A=1, B=1, C=1)}, 3, 3)
    assert values(p, "conditions", ["COND1", "COND2"]) == [Fraction(50), None]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_dollar_pairs_in_names_are_text_not_mathtext(fmt):
    # "$\\unknown$" is invalid mathtext: parsed as math it raises ValueError.
    name = "Table $\\unknown$ des 5 $ de quartier"
    data = radar.render([name, "B", "C"], [radar.Series(name, [50, 75, None])], fmt=fmt,
                        texts=radar.Texts(title=name, subtitle=name, missing_note="$\\frac$"))
    assert data.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt])
    if fmt == "svg":
        # matplotlib writes each drawn text as a comment next to its glyphs: the raw name.
        assert data.decode().count("<!-- Table $\\unknown$ des 5 $ de quartier -->") >= 2
