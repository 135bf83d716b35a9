"""Year-to-year comparison of two portraits of one partnership (docs/methodology.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from partenariat.scoring.counts import AnswerCounts
from partenariat.scoring.portrait import Portrait, score
from questionnaires.loader import Instrument


@dataclass(frozen=True)
class Comparison:
    shared_items: tuple[str, ...]
    left_out: tuple[str, ...]  # items only one of the two versions has
    earlier: Portrait
    later: Portrait
    items: dict[str, Fraction | None]
    dimensions: dict[str, Fraction | None]
    rts: dict[str, Fraction | None]
    domains: dict[str, Fraction | None]


def _delta(before, after) -> Fraction | None:
    if before is None or after is None:
        return None
    return after - before


def compare(
    earlier: tuple[Instrument, Mapping[str, AnswerCounts], int, int],
    later: tuple[Instrument, Mapping[str, AnswerCounts], int, int],
) -> Comparison:
    """Deltas (later − earlier) over the item codes both instrument versions share.

    Each side is (instrument, counts, n_submitted, k). Both portraits are re-scored on the
    shared items only, so a dimension's delta never mixes different item sets.
    """
    first_instrument, later_instrument = earlier[0], later[0]
    shared = tuple(code for code in later_instrument.items if code in first_instrument.items)
    left_out = tuple(sorted(set(first_instrument.items) ^ set(later_instrument.items)))
    before = score(*earlier, item_codes=shared)
    after = score(*later, item_codes=shared)

    def deltas(a: Mapping, b: Mapping) -> dict[str, Fraction | None]:
        return {code: _delta(a[code].score, b[code].score) for code in b if code in a}

    return Comparison(
        shared_items=shared,
        left_out=left_out,
        earlier=before,
        later=after,
        items=deltas(before.items, after.items),
        dimensions=deltas(before.dimensions, after.dimensions),
        rts=deltas(before.rts, after.rts),
        domains=deltas(before.domains, after.domains),
    )
