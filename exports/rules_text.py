"""The scoring rules in words, for the workbooks' data dictionaries, built from the
instrument (its answer scale and bands) so that the sentences follow the TOML files."""

from __future__ import annotations

from fractions import Fraction

from flask_babel import gettext as _

from questionnaires import ANSWER_CODES, Instrument


def _number(value: float | Fraction) -> str:
    return f"{float(value):g}"


def answer_values(instrument: Instrument) -> str:
    """"A = 2, B = 1, C = 0"."""
    return ", ".join(f"{code} = {instrument.scale[code]}" for code in ANSWER_CODES)


def item_factor(instrument: Instrument) -> str:
    """The factor from a mean value to a 0–100 score: 100 / the highest value (50 for A = 2)."""
    return _number(Fraction(100, max(instrument.scale.values())))


def bands(instrument: Instrument, lang: str) -> str:
    """"Strength: 75 or more. To consolidate: 50 to under 75. To work on: under 50."."""
    sentences, above = [], None
    for band in instrument.bands:  # highest first; the last one starts at 0
        name = band.name.get(lang)
        if above is None:
            sentences.append(_("%(band)s: %(min)s or more.", band=name, min=_number(band.min)))
        elif band.min > 0:
            sentences.append(_("%(band)s: %(min)s to under %(max)s.", band=name, min=_number(band.min),
                               max=_number(above)))
        else:
            sentences.append(_("%(band)s: under %(max)s.", band=name, max=_number(above)))
        above = band.min
    return " ".join(sentences)
