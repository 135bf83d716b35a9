"""A campaign's portrait: items, dimensions, RT, domains, and the retreat agenda (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

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


def score(
    instrument: Instrument,
    counts: Mapping[str, AnswerCounts],
    n_submitted: int,
    k: int,
    item_codes: Iterable[str] | None = None,
) -> Portrait:
    """Score a set of ``n_submitted`` responses from their per-item ``counts``.

    ``item_codes`` restricts the portrait to some items (year comparisons use the codes two
    instrument versions share); dimensions, RT and domains are then computed over those.
    Below ``k`` responses nothing is shown: every score, count and flag is None or empty.
    """
    codes = [code for code in instrument.items if item_codes is None or code in set(item_codes)]
    suppressed = n_submitted < k
    scale = instrument.scale

    items: dict[str, ItemResult] = {}
    for code in codes:
        item_counts = counts.get(code, AnswerCounts())
        # Items nobody answered still count every response as NSP.
        missing = n_submitted - item_counts.n_valid - item_counts.NSP
        if missing > 0:
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
            gap=rules.gap(value),
            flags=tuple(rules.flags(item_counts)),
            spread=rules.spread(item_counts, scale),
        )

    dimensions = {}
    for code, dimension in instrument.dimensions.items():
        members = [items[c] for c in dimension.items if c in items]
        if not members:
            continue
        value = rules.mean([m.score for m in members if m.score is not None])
        total = None if suppressed else sum((m.counts for m in members), AnswerCounts())
        dimensions[code] = DimensionResult(code, dimension.kind, total, value, rules.gap(value),
                                           rules.band(value, instrument.bands))

    rts = {}
    for code, rt in instrument.rts.items():
        weighted = [(Fraction(str(item.rt[code])), items[c].score)
                    for c, item in instrument.items.items() if code in item.rt and c in items]
        scored = [(w, s) for w, s in weighted if s is not None]
        value = sum((w * s for w, s in scored), Fraction(0)) / sum(w for w, _ in scored) if scored else None
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
        agenda=() if suppressed else agenda(list(items.values())),
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
