"""Several years side by side (SPEC §4.9, extended to any number of ticked campaigns).

Every campaign is re-scored on the item codes ALL of them share, so that a column, the step
from one year to the next and the change from the first year to the last always describe
the same items. Pure and exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from partenariat.scoring.counts import AnswerCounts
from partenariat.scoring.portrait import Portrait, score
from questionnaires.loader import Instrument

Side = tuple[Instrument, Mapping[str, AnswerCounts], int, int]  # instrument, counts, n_submitted, k


@dataclass(frozen=True)
class Row:
    values: tuple[Fraction | None, ...]  # one per year, in year order
    steps: tuple[Fraction | None, ...]  # from each year to the next (one fewer than values)
    overall: Fraction | None  # from the first year to the last


@dataclass(frozen=True)
class YearTable:
    shared_items: tuple[str, ...]
    left_out: tuple[str, ...]  # items some of the versions lack
    portraits: tuple[Portrait, ...]  # re-scored on the shared items, in year order

    def row(self, table: str, code: str) -> Row:
        """``table`` is items, dimensions, rts or domains."""
        values = tuple(_score(getattr(p, table), code) for p in self.portraits)
        steps = tuple(_delta(a, b) for a, b in zip(values, values[1:], strict=False))
        return Row(values, steps, _delta(values[0], values[-1]) if values else None)

    def codes(self, table: str) -> list[str]:
        """The codes of ``table`` every year has, in the latest year's order."""
        last = getattr(self.portraits[-1], table)
        return [code for code in last if all(code in getattr(p, table) for p in self.portraits)]


def _score(results: Mapping, code: str) -> Fraction | None:
    return results[code].score if code in results else None


def _delta(before: Fraction | None, after: Fraction | None) -> Fraction | None:
    return None if before is None or after is None else after - before


def year_table(sides: Sequence[Side]) -> YearTable:
    """The campaigns ``sides`` (in year order) side by side on their shared items."""
    if not sides:
        raise ValueError("a year table needs at least one campaign")
    latest = sides[-1][0]
    shared = tuple(code for code in latest.items if all(code in side[0].items for side in sides))
    every = set().union(*(set(side[0].items) for side in sides))
    portraits = tuple(score(*side, item_codes=shared) for side in sides)
    return YearTable(shared, tuple(sorted(every - set(shared))), portraits)


def counts_differ_a_lot(sizes: Sequence[int]) -> bool:
    """One year has under half the responses of another: its portrait rests on fewer voices."""
    return bool(sizes) and 2 * min(sizes) < max(sizes)
