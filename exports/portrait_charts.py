"""Radar charts of portraits: conditions (6 axes), keys (5), domains (3), or the 12 RT."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from exports import radar
from partenariat.scoring import Portrait
from questionnaires import Instrument

DIMENSIONS = ("conditions", "keys", "domains", "rt")


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


def chart(instrument: Instrument, portraits: Sequence[tuple[str, Portrait]], dimension: str, lang: str,
          fmt: str = "png", title: str | None = None) -> bytes:
    """One radar with a polygon per (label, portrait), e.g. one per year."""
    layout = axes(instrument, dimension, lang)
    codes = [code for code, _label in layout]
    series = [radar.Series(label, values(portrait, dimension, codes)) for label, portrait in portraits]
    return radar.render([label for _code, label in layout], series, fmt=fmt, title=title,
                        wrap=16 if dimension == "rt" else 20,
                        missing_note=_("A point at the centre means no score (no answer other than “I don't know”)."))
