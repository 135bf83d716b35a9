"""How exact scores become printed numbers: one decimal, halves rounded up (docs/methodology.md)."""

from __future__ import annotations

from fractions import Fraction


def one_decimal(value: Fraction | None) -> float | None:
    if value is None:
        return None
    value = Fraction(value)
    # floor(10·n/d + 1/2) in integers: exact, and much cheaper than Fraction arithmetic.
    return (20 * value.numerator + value.denominator) // (2 * value.denominator) / 10


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)
