"""What the timeline diagrams (SVG, PNG, PDF) write, shared so that they all say the same.

Call inside ``force_locale(lang)``: the words come from the catalog, the domain names from
the framework.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass

from flask_babel import get_translations

from partenariat.timeline.layout import EFFECTS_LANE, Box
from partenariat.timeline.model import Effect, Kind
from questionnaires import Instrument

# A light tint per lane (from the Okabe–Ito hues); the kind of a box is never told by colour
# alone: borders and a written marker say it too.
LANE_FILLS = {"D1": "#E3F0FA", "D2": "#FDF0D5", "D3": "#E0F3EC", EFFECTS_LANE: "#F3E6EE"}
LANE_BANDS = {"D1": "#F5F9FD", "D2": "#FEF9F0", "D3": "#F3FAF7", EFFECTS_LANE: "#FAF4F8"}
RESULT_STROKE = "#1F4E79"
SETBACK_STROKE = "#B3470B"
EFFECT_STROKE = "#6B2C57"
LINK_STROKE = "#555555"
# Average glyph width as a share of the font size, for truncating without measuring text.
GLYPH = 0.56


@dataclass(frozen=True)
class Words:
    effects: str
    result: str
    setback: str
    planned: str
    effect: str
    led_to: str
    approximate: str


def words() -> Words:
    # The current catalog is looked up once for the seven words (each ``flask_babel.gettext``
    # finds it again through the request context and the locale).
    _ = get_translations().ugettext
    return Words(effects=_("Effects in living environments"), result=_("Result"), setback=_("Setback"),
                 planned=_("planned"), effect=_("Effect"), led_to=_("led to"),
                 approximate=_("line under a box: the date is a month or a year"))


def legend(said: Words) -> list[tuple[str, str]]:
    """(kind of sample box, its text), in legend order; kinds: result, setback, planned, effect.
    The texts repeat each box's written marker, so that the legend reads without colour."""
    return [("result", f"✓ {said.result}"), ("setback", f"✕ {said.setback}"),
            ("planned", f"✓ {said.result} ({said.planned})"), ("effect", f"◆ {said.effect}")]


def lane_label(instrument: Instrument, code: str, lang: str, said: Words, width: int = 22) -> list[str]:
    """The lane's name, wrapped, with its domain code first."""
    if code == EFFECTS_LANE:
        return list(_wrap(said.effects, width))
    return [code, *_wrap(instrument.domains[code].name.get(lang), width)]


@functools.lru_cache(maxsize=64)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    # A handful of lane names, wrapped again on every drawing otherwise.
    return tuple(textwrap.wrap(text, width))


def header(box: Box, said: Words) -> str:
    """The small first line of a box: its RT (or "Effect") and a written kind marker."""
    node = box.node
    if isinstance(node, Effect):
        return f"◆ {said.effect}"
    # A result says ✓ (the legend names it); a setback spells its kind out, being the rarer.
    text = f"{node.rt} ✕ {said.setback}" if node.kind is Kind.SETBACK else f"{node.rt} ✓"
    return text if node.realised else f"{text} ({said.planned})"


def fit(text: str, width: float, font_size: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels (by an average glyph width)."""
    room = max(4, int(width / (font_size * GLYPH)))  # the SVG inlines this for titles
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"
