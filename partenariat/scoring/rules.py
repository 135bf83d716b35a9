"""The item-level rules of docs/methodology.md: score, spread, flags, band. Exact arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from partenariat.scoring.counts import AnswerCounts
from questionnaires.loader import Band


def _values(counts: AnswerCounts, scale: dict[str, int]) -> list[tuple[int, int]]:
    return [(scale[code], getattr(counts, code)) for code in ("A", "B", "C")]


def item_score(counts: AnswerCounts, scale: dict[str, int]) -> Fraction | None:
    """100 × mean value / highest value — with A = 2, B = 1, C = 0 that is 50 × mean value."""
    n = counts.n_valid
    if n == 0:
        return None
    total = sum(value * count for value, count in _values(counts, scale))
    return Fraction(100 * total, n * max(scale.values()))


def spread(counts: AnswerCounts, scale: dict[str, int]) -> Fraction | None:
    """Population variance of the answer values."""
    n = counts.n_valid
    if n == 0:
        return None
    pairs = _values(counts, scale)
    mean = Fraction(sum(v * c for v, c in pairs), n)
    return Fraction(sum(c * v * v for v, c in pairs), n) - mean * mean


def flags(counts: AnswerCounts) -> list[str]:
    """weak / divergent / strong, from integer counts only.

    Divergent means a quarter or more at each end of the scale (A and C): an A/B split is
    not a disagreement to debate, and counting it as one flooded the agenda (SPEC §4.7)."""
    a, b, c, n = counts.A, counts.B, counts.C, counts.n_valid
    if n == 0:
        return []
    found = []
    if 3 * c >= n or (c >= a and c >= b):
        found.append("faible")
    if 4 * a >= n and 4 * c >= n:
        found.append("divergent")
    if 3 * a >= 2 * n and c == 0:
        found.append("force")
    return found


@lru_cache(maxsize=16)
def _thresholds(bands: tuple[Band, ...]) -> tuple[tuple[Fraction, str], ...]:
    return tuple((Fraction(str(b.min)), b.code) for b in bands)


def band(score: Fraction | None, bands: tuple[Band, ...]) -> str | None:
    if score is None:
        return None
    for minimum, code in _thresholds(bands):
        if score >= minimum:
            return code
    return bands[-1].code


def gap(score: Fraction | None) -> Fraction | None:
    return None if score is None else 100 - score


def mean(values: list[Fraction]) -> Fraction | None:
    """Exact mean. Summed over the least common denominator in plain integers: one Fraction
    at the end instead of one per addition (this runs millions of times in funder exports)."""
    if not values:
        return None
    common = math.lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (common // v.denominator) for v in values), common * len(values))


def weighted_mean(pairs: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    """Exact Σ w·s / Σ w, by the same common-denominator route as ``mean``."""
    if not pairs:
        return None
    products = [(w.numerator * s.numerator, w.denominator * s.denominator) for w, s in pairs]
    common = math.lcm(*(d for _n, d in products))
    weights_common = math.lcm(*(w.denominator for w, _s in pairs))
    total = Fraction(sum(n * (common // d) for n, d in products), common)
    weight = Fraction(sum(w.numerator * (weights_common // w.denominator) for w, _s in pairs), weights_common)
    return total / weight
