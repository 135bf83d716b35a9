"""A campaign's portrait: items, dimensions, RT, domains, and the retreat agenda (docs/methodology.md)."""

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
) -> Portrait:
    """A campaign's full portrait from the per-item ``counts`` of ``n_submitted`` responses:
    every score, gap and band, the answer counts, the item flags and the retreat agenda.

    ``item_codes`` restricts the portrait to some items (year comparisons use the codes two
    instrument versions share); dimensions, RT and domains are then computed over those.
    Below ``k`` responses nothing is shown: every score, count and flag is None or empty.
    """
    codes = _codes(instrument, item_codes)
    suppressed = n_submitted < k
    if suppressed:
        items = {code: _hidden_item(instrument, code) for code in codes}
    else:
        items = {code: _full_item(instrument, code, _with_blanks(counts.get(code, _EMPTY), n_submitted))
                 for code in codes}
    return _portrait(instrument, items, n_submitted, k, suppressed, with_counts=not suppressed,
                     agenda_codes=() if suppressed else agenda(list(items.values())))


def scores_and_bands(
    instrument: Instrument,
    counts: Mapping[str, AnswerCounts],
    n_submitted: int,
    k: int,
) -> Portrait:
    """Scores, gaps and bands of the dimensions, RT and domains only, for aggregates over
    many campaigns (funder rows, sector groups). Items carry their score alone — no counts,
    gap, flags or spread — and there is no agenda: that is what makes thousands of campaigns
    cheap to score. Below ``k`` responses every score is None, as in ``score``."""
    suppressed = n_submitted < k
    codes = _codes(instrument, None)
    if suppressed:
        items = {code: _hidden_item(instrument, code) for code in codes}
    else:
        scale = instrument.scale
        items = {code: ItemResult(code, instrument.items[code].dimension, None,
                                  rules.item_score(counts.get(code, _EMPTY), scale), None, (), None)
                 for code in codes}
    return _portrait(instrument, items, n_submitted, k, suppressed, with_counts=False, agenda_codes=())


_EMPTY = AnswerCounts()


def _codes(instrument: Instrument, item_codes: Iterable[str] | None) -> list[str]:
    wanted = None if item_codes is None else set(item_codes)
    return [code for code in instrument.items if wanted is None or code in wanted]


def _with_blanks(counts: AnswerCounts, n_submitted: int) -> AnswerCounts:
    """Blank answers have no row: every response that gave no A/B/C/NSP counts as NSP."""
    missing = n_submitted - counts.n_valid - counts.NSP
    return counts + AnswerCounts(NSP=missing) if missing > 0 else counts


def _hidden_item(instrument: Instrument, code: str) -> ItemResult:
    return ItemResult(code, instrument.items[code].dimension, None, None, None, (), None)


def _full_item(instrument: Instrument, code: str, counts: AnswerCounts) -> ItemResult:
    value = rules.item_score(counts, instrument.scale)
    return ItemResult(
        code=code,
        dimension=instrument.items[code].dimension,
        counts=counts,
        score=value,
        gap=rules.gap(value),
        flags=tuple(rules.flags(counts)),
        spread=rules.spread(counts, instrument.scale),
    )


def _portrait(instrument: Instrument, items: dict[str, ItemResult], n_submitted: int, k: int, suppressed: bool,
              with_counts: bool, agenda_codes: tuple[str, ...]) -> Portrait:
    """Dimensions, RT and domains from the item results, assembled into a Portrait."""
    rts = _rts(instrument, items)
    return Portrait(
        n_submitted=n_submitted,
        k=k,
        suppressed=suppressed,
        items=items,
        dimensions=_dimensions(instrument, items, with_counts),
        rts=rts,
        domains=_domains(instrument, rts),
        agenda=agenda_codes,
    )


def _dimensions(instrument: Instrument, items: dict[str, ItemResult], with_counts: bool) -> dict[str, DimensionResult]:
    dimensions = {}
    for code, dimension in instrument.dimensions.items():
        members = [items[c] for c in dimension.items if c in items]
        if not members:
            continue
        value = rules.mean([m.score for m in members if m.score is not None])
        total = sum((m.counts for m in members), AnswerCounts()) if with_counts else None
        dimensions[code] = DimensionResult(code, dimension.kind, total, value, rules.gap(value),
                                           rules.band(value, instrument.bands))
    return dimensions


def _rts(instrument: Instrument, items: dict[str, ItemResult]) -> dict[str, RTResult]:
    rts = {}
    members = _rt_members(instrument)
    for code, rt in instrument.rts.items():
        scored = [(w, items[c].score) for c, w in members[code] if c in items and items[c].score is not None]
        value = rules.weighted_mean(scored)
        rts[code] = RTResult(code, rt.domain, value, rules.gap(value))
    return rts


def _domains(instrument: Instrument, rts: dict[str, RTResult]) -> dict[str, DomainResult]:
    domains = {}
    for code, domain in instrument.domains.items():
        value = rules.mean([rts[rt].score for rt in domain.rts if rts[rt].score is not None])
        domains[code] = DomainResult(code, value, rules.gap(value), rules.band(value, instrument.bands))
    return domains


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
