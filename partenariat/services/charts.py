"""Radar images of portraits, built by ``exports`` and cached on disk, keyed by the data
they draw, shared by every worker (the cache directory is ``CHART_CACHE_DIR``)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from exports import radar
from exports.portrait_charts import DIMENSIONS, axes, bands, chart, title, values
from partenariat.scoring import Portrait
from partenariat.scoring.aggregates import Summary
from questionnaires import Instrument

__all__ = ["DIMENSIONS", "FORMATS", "cached", "chart_bytes", "chart_title", "funder_medians"]

FORMATS = radar.FORMATS


def cached(directory: Path | str, key_parts: list, render: Callable[[], bytes]) -> bytes:
    """The bytes stored under ``key_parts``, rendered and stored on the first call."""
    key = hashlib.sha256(repr(key_parts).encode("utf-8")).hexdigest()
    path = Path(directory) / key[:2] / key
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so that another worker never reads half a file.
    fd, temporary = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return data


def _cache_dir() -> str:
    return current_app.config["CHART_CACHE_DIR"]


def chart_title(dimension: str, lang: str) -> str:
    """What a radar shows, in ``lang``: its title, and the alt text of its image on pages."""
    with force_locale(lang):
        return title(dimension)


def chart_bytes(instrument: Instrument, series: Sequence[tuple[str, Portrait]], dimension: str, lang: str, fmt: str,
                title: str) -> bytes:
    """A radar with one polygon per (label, portrait), from the cache when already drawn;
    the key holds everything that is drawn. The chart is titled by what it shows; ``title``
    (the partnership's name) is written under it."""
    codes = [code for code, _label in axes(instrument, dimension, lang)]
    key = ["v2", instrument.version, dimension, lang, fmt, title,
           [(label, [str(v) for v in values(portrait, dimension, codes)]) for label, portrait in series]]

    def render():
        with force_locale(lang):
            return chart(instrument, series, dimension, lang, fmt, title=title)

    return cached(_cache_dir(), key, render)


def funder_medians(summary: Summary, instrument: Instrument, lang: str) -> bytes:
    """The funder dashboard's SVG radar: the dimensions' medians, one polygon per year."""
    dims = list(instrument.dimensions)
    with force_locale(lang):
        series = []
        for year in summary.years():
            spreads = [summary.table(year, code) for code in dims]
            series.append(radar.Series(_("median %(year)s", year=year), [s.median if s else None for s in spreads]))
        texts = radar.Texts(title=_("Median portrait per year"), empty_series=_("%(label)s: no score"),
                            empty_chart=_("No score to draw"))
        shaded = bands(instrument, lang)
    labels = [instrument.dimensions[c].name.get(lang) for c in dims]

    def render():
        with force_locale(lang):
            return radar.render(labels, series, "svg", wrap=18, bands=shaded, texts=texts)

    key = ["funder-medians-v2", lang, labels, [(s.label, [str(v) for v in s.values]) for s in series]]
    return cached(_cache_dir(), key, render)
