"""Radar charts of portraits: conditions (6 axes), keys (5), domains (3), or the 12 RT."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from exports import radar
from partenariat.scoring import Portrait
from questionnaires import Instrument

DIMENSIONS = ("conditions", "keys", "domains", "rt")
# Light tints of the palette's vermillion, orange and bluish green, weakest band first: they
# read as "work on / consolidate / strength" without carrying the lines' colours.
BAND_COLORS = {"a_travailler": "#f7ded6", "a_consolider": "#fbeccc", "force": "#d9efe7"}


def title(dimension: str) -> str:
    """What the chart shows, in the current language: its title and its alt text."""
    return {"conditions": _("The six partnership conditions"), "keys": _("The five progression keys"),
            "domains": _("The three domains of transitional results"),
            "rt": _("The twelve transitional results (RT)")}[dimension]


def axes(instrument: Instrument, dimension: str, lang: str) -> list[tuple[str, str]]:
    """(code, label) of each axis, in display order."""
    if dimension == "conditions":
        return [(c, d.name.get(lang)) for c, d in instrument.dimensions.items() if d.kind == "condition"]
    if dimension == "keys":
        return [(c, d.name.get(lang)) for c, d in instrument.dimensions.items() if d.kind == "key"]
    if dimension == "domains":
        return [(c, f"{c} · {d.name.get(lang)}") for c, d in instrument.domains.items()]
    if dimension == "rt":
        # Grouped by domain, so that each domain is one arc of the chart.
        return [(rt, f"{rt} · {instrument.rts[rt].name.get(lang)}")
                for domain in instrument.domains.values() for rt in domain.rts]
    raise ValueError(f"dimension must be one of {DIMENSIONS}")


def values(portrait: Portrait, dimension: str, codes: Sequence[str]):
    source = {"conditions": portrait.dimensions, "keys": portrait.dimensions,
              "domains": portrait.domains, "rt": portrait.rts}[dimension]
    return [source[code].score if code in source else None for code in codes]


def series_label(campaign) -> str:
    """A campaign's name in a legend: its title, with the year when the title lacks it."""
    return campaign.title if str(campaign.year) in campaign.title else f"{campaign.year} · {campaign.title}"


def bands(instrument: Instrument, lang: str) -> list[radar.Band]:
    """The instrument's score bands as shaded rings (its bands are listed highest first)."""
    shaded, high = [], 100.0
    for band in instrument.bands:
        shaded.append(radar.Band(float(band.min), high, f"{band.name.get(lang)} ({band.min:g}–{high:g})",
                                 BAND_COLORS.get(band.code, "#eeeeee")))
        high = float(band.min)
    return list(reversed(shaded))


def texts(dimension: str, subtitle: str | None = None) -> radar.Texts:
    return radar.Texts(
        title=title(dimension), subtitle=subtitle,
        missing_note=_("A gap in a line means no score there (no answer other than “I don't know”)."),
        empty_series=_("%(label)s: no score"), empty_chart=_("No score to draw"))


def chart(instrument: Instrument, portraits: Sequence[tuple[str, Portrait]], dimension: str, lang: str,
          fmt: str = "png", title: str | None = None) -> bytes:
    """One radar with a polygon per (label, portrait), e.g. one per year, titled by what it
    shows; ``title`` (the partnership's name) goes under it."""
    layout = axes(instrument, dimension, lang)
    codes = [code for code, _label in layout]
    series = [radar.Series(label, values(portrait, dimension, codes)) for label, portrait in portraits]
    return radar.render([label for _code, label in layout], series, fmt=fmt,
                        wrap=18 if dimension == "rt" else 20, bands=bands(instrument, lang),
                        texts=texts(dimension, title))
