"""Aggregates over many campaigns for funders: medians and quartiles per year and code.

Values stay exact fractions, like every other score, so that a median is rounded once, by
the exports, and the page, the chart and the workbook print the same number.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from questionnaires.loader import Instrument


def codes(instrument: Instrument) -> list[str]:
    """Dimension then domain codes, the columns of every funder table."""
    return [*instrument.dimensions, *instrument.domains]


@dataclass(frozen=True)
class Spread:
    count: int
    median: Fraction
    q1: Fraction
    q3: Fraction


def spread(values: list[Fraction]) -> Spread | None:
    """Median and quartiles (inclusive method); None for no value."""
    if not values:
        return None
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    # Sorted first on floats, compared in C: quantiles sorts again with exact comparisons, but
    # then finds the list in order but for fractions too close for a float to tell apart, a
    # handful of comparisons instead of n·log n (Fraction comparisons were a tenth of a funder
    # export, T1). The result is the exact one either way.
    values = sorted(values, key=float)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median, q1, q3)


class Summary:
    """Medians and quartiles per year and code, fed one campaign at a time."""

    def __init__(self):
        self.values: dict[int, dict[str, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
        self.partnerships: dict[int, set[int]] = defaultdict(set)
        self._spreads: dict[tuple[int, str], Spread | None] = {}  # read by several sheets

    def add(self, year: int, partnership_id: int, scores: Mapping[str, Fraction | None]) -> None:
        self._spreads.clear()
        self.partnerships[year].add(partnership_id)
        for code, value in scores.items():
            if value is not None:
                self.values[year][code].append(value)

    def years(self) -> list[int]:
        return sorted(self.partnerships)

    def table(self, year: int, code: str) -> Spread | None:
        key = (year, code)
        if key not in self._spreads:
            self._spreads[key] = spread(self.values[year][code])
        return self._spreads[key]
