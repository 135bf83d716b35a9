"""What the retreat discusses (SPEC §4.8): a few focused discussion points taken from the weak
and divergent part of the agenda, the rest of it as an annex, and the strengths.

A point groups the agenda's items of one dimension; it carries the RT those items feed and
the ONE progression key that acts most on those RT, by the mapping's weights, so that each
card opens one question about one key rather than repeating every key's question. Pure and
exact: weights are Fractions, ties keep instrument order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from partenariat.scoring.portrait import Portrait
from questionnaires.loader import Instrument

# The flags that put an item up for discussion, in the agenda's order of precedence.
DISCUSSED = ("faible", "divergent")


@dataclass(frozen=True)
class DiscussionPoint:
    dimension: str
    items: tuple[str, ...]  # in agenda order
    flags: tuple[str, ...]  # the discussed flags of its items, weak before divergent
    rts: tuple[str, ...]  # the RT its items feed, most weight first
    key: str | None  # the progression key acting most on those RT


@dataclass(frozen=True)
class RetreatAgenda:
    focus: tuple[DiscussionPoint, ...]
    also: tuple[str, ...]  # weak or divergent items left out of the focus, in agenda order
    strengths: tuple[str, ...]  # strong items, in agenda order


def retreat_agenda(instrument: Instrument, portrait: Portrait, focus: int) -> RetreatAgenda:
    """At most ``focus`` discussion points from the portrait's agenda.

    Walking the weak and divergent items in agenda order, an item joins the point already
    opened for its dimension, or opens a new one while fewer than ``focus`` are open; any
    other goes to the annex. Grouping never adds a point, so the count is kept."""
    discussed = [code for code in portrait.agenda if set(DISCUSSED) & set(portrait.items[code].flags)]
    strengths = tuple(code for code in portrait.agenda if code not in discussed)
    groups: dict[str, list[str]] = {}
    also = []
    for code in discussed:
        dimension = instrument.items[code].dimension
        if dimension in groups:
            groups[dimension].append(code)
        elif len(groups) < focus:
            groups[dimension] = [code]
        else:
            also.append(code)
    points = tuple(_point(instrument, portrait, dimension, tuple(codes)) for dimension, codes in groups.items())
    return RetreatAgenda(points, tuple(also), strengths)


def _point(instrument: Instrument, portrait: Portrait, dimension: str, codes: tuple[str, ...]) -> DiscussionPoint:
    flags = tuple(f for f in DISCUSSED if any(f in portrait.items[c].flags for c in codes))
    weights = rt_weights(instrument, codes)
    order = list(instrument.rts)
    rts = tuple(sorted(weights, key=lambda rt: (-weights[rt], order.index(rt))))
    return DiscussionPoint(dimension, codes, flags, rts, strongest_key(instrument, weights))


def rt_weights(instrument: Instrument, codes: tuple[str, ...]) -> dict[str, Fraction]:
    """The weight each RT receives from these items (the sum of their mapping weights)."""
    weights: dict[str, Fraction] = {}
    for code in codes:
        for rt, weight in instrument.items[code].rt.items():
            weights[rt] = weights.get(rt, Fraction(0)) + Fraction(str(weight))
    return weights


def strongest_key(instrument: Instrument, weights: dict[str, Fraction]) -> str | None:
    """The key whose items weigh most on these RT: Σ over RT of (the point's weight on the RT
    × the key's weight on it). None when no key touches them; ties take the first key."""
    best, best_value = None, Fraction(0)
    for key, key_weights in _key_weights(instrument).items():
        value = sum((weights[rt] * w for rt, w in key_weights.items() if rt in weights), Fraction(0))
        if value > best_value:
            best, best_value = key, value
    return best


@lru_cache(maxsize=16)
def _key_weights(instrument: Instrument) -> dict[str, dict[str, Fraction]]:
    return {code: rt_weights(instrument, tuple(d.items))
            for code, d in instrument.dimensions.items() if d.kind == "key"}
