"""How exact scores become printed numbers: one decimal, halves rounded up (SPEC §4)."""

from __future__ import annotations

import math
from fractions import Fraction


def one_decimal(value: Fraction | None) -> float | None:
    if value is None:
        return None
    return math.floor(Fraction(value) * 10 + Fraction(1, 2)) / 10


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)
