"""A campaign's portrait: items, dimensions, RT, domains, and the retreat agenda (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from partenariat.scoring import rules
from partenariat.scoring.counts import AnswerCounts
from questionnaires.loader import Instrument


@dataclass(frozen=True)
class ItemResult:
    code: str
    dimension: str
    counts: AnswerCounts | None  # None when suppressed
    score: Fraction | None
    gap: Fraction | None
    flags: tuple[str, ...]
    spread: Fraction | None


@dataclass(frozen=True)
class DimensionResult:
    code: str
    kind: str
    counts: AnswerCounts | None
    score: Fraction | None
    gap: Fraction | None
    band: str | None


@dataclass(frozen=True)
class RTResult:
    code: str
    domain: str
    score: Fraction | None
    gap: Fraction | None


@dataclass(frozen=True)
class DomainResult:
    code: str
    score: Fraction | None
    gap: Fraction | None
    band: str | None


@dataclass(frozen=True)
class Portrait:
    n_submitted: int
    k: int
    suppressed: bool
    items: dict[str, ItemResult]
    dimensions: dict[str, DimensionResult]
    rts: dict[str, RTResult]
    domains: dict[str, DomainResult]
    agenda: tuple[str, ...]


@lru_cache(maxsize=16)
def _rt_members(instrument: Instrument) -> dict[str, tuple[tuple[str, Fraction], ...]]:
    """For each RT, its items with exact weights — worked out once per instrument."""
    return {
        rt: tuple((code, Fraction(str(item.rt[rt]))) for code, item in instrument.items.items() if rt in item.rt)
        for rt in instrument.rts
    }


def score(
    instrument: Instrument,
    counts: Mapping[str, AnswerCounts],
    n_submitted: int,
    k: int,
    item_codes: Iterable[str] | None = None,
    details: bool = True,
) -> Portrait:
    """Score a set of ``n_submitted`` responses from their per-item ``counts``.

    ``item_codes`` restricts the portrait to some items (year comparisons use the codes two
    instrument versions share); dimensions, RT and domains are then computed over those.
    Below ``k`` responses nothing is shown: every score, count and flag is None or empty.
    ``details=False`` skips what only a campaign's own portrait shows (item flags, spreads,
    gaps, answer counts, the agenda) and keeps every score and band, for aggregates over
    many campaigns.
    """
    wanted = None if item_codes is None else set(item_codes)
    codes = [code for code in instrument.items if wanted is None or code in wanted]
    suppressed = n_submitted < k
    scale = instrument.scale
    empty = AnswerCounts()

    items: dict[str, ItemResult] = {}
    for code in codes:
        item_counts = counts.get(code, empty)
        # Blank answers have no row: every response that gave no A/B/C/NSP counts as NSP.
        missing = n_submitted - item_counts.n_valid - item_counts.NSP
        if missing > 0 and details:
            item_counts = item_counts + AnswerCounts(NSP=missing)
        if suppressed:
            items[code] = ItemResult(code, instrument.items[code].dimension, None, None, None, (), None)
            continue
        value = rules.item_score(item_counts, scale)
        items[code] = ItemResult(
            code=code,
            dimension=instrument.items[code].dimension,
            counts=item_counts,
            score=value,
            gap=rules.gap(value) if details else None,
            flags=tuple(rules.flags(item_counts)) if details else (),
            spread=rules.spread(item_counts, scale) if details else None,
        )

    dimensions = {}
    for code, dimension in instrument.dimensions.items():
        members = [items[c] for c in dimension.items if c in items]
        if not members:
            continue
        value = rules.mean([m.score for m in members if m.score is not None])
        total = None if suppressed or not details else sum((m.counts for m in members), AnswerCounts())
        dimensions[code] = DimensionResult(code, dimension.kind, total, value, rules.gap(value),
                                           rules.band(value, instrument.bands))

    rts = {}
    members = _rt_members(instrument)
    for code, rt in instrument.rts.items():
        scored = [(w, items[c].score) for c, w in members[code] if c in items and items[c].score is not None]
        value = rules.weighted_mean(scored)
        rts[code] = RTResult(code, rt.domain, value, rules.gap(value))

    domains = {}
    for code, domain in instrument.domains.items():
        value = rules.mean([rts[rt].score for rt in domain.rts if rts[rt].score is not None])
        domains[code] = DomainResult(code, value, rules.gap(value), rules.band(value, instrument.bands))

    return Portrait(
        n_submitted=n_submitted,
        k=k,
        suppressed=suppressed,
        items=items,
        dimensions=dimensions,
        rts=rts,
        domains=domains,
        agenda=() if suppressed or not details else agenda(list(items.values())),
    )


def agenda(items: list[ItemResult]) -> tuple[str, ...]:
    """Weak items by ascending score, then divergent ones by descending spread, then strong
    ones; exact comparisons, ties in instrument order (``items`` is in instrument order)."""
    order = {item.code: index for index, item in enumerate(items)}
    weak = sorted((i for i in items if "faible" in i.flags), key=lambda i: (i.score, order[i.code]))
    listed = {i.code for i in weak}
    divergent = sorted((i for i in items if "divergent" in i.flags and i.code not in listed),
                       key=lambda i: (-i.spread, order[i.code]))
    listed |= {i.code for i in divergent}
    strong = [i for i in items if "force" in i.flags and i.code not in listed]
    return tuple(i.code for i in [*weak, *divergent, *strong])
