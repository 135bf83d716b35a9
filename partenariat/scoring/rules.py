"""The item-level rules of SPEC §4: score, spread, flags, band. Exact arithmetic."""

from __future__ import annotations

from fractions import Fraction

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
    """weak / divergent / strong, from integer counts only."""
    a, b, c, n = counts.A, counts.B, counts.C, counts.n_valid
    if n == 0:
        return []
    found = []
    if 3 * c >= n or (c >= a and c >= b):
        found.append("faible")
    if (4 * a >= n and 4 * c >= n) or 2 * max(a, b, c) < n:
        found.append("divergent")
    if 3 * a >= 2 * n and c == 0:
        found.append("force")
    return found


def band(score: Fraction | None, bands: tuple[Band, ...]) -> str | None:
    if score is None:
        return None
    for candidate in bands:
        if score >= Fraction(str(candidate.min)):
            return candidate.code
    return bands[-1].code


def gap(score: Fraction | None) -> Fraction | None:
    return None if score is None else 100 - score


def mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None
