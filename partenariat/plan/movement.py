"""What moved for each target of an action (SPEC §9, with the comparison rules of §4.9).

The earlier side is the release the action's retreat read; the later side is the next
campaign's latest release. Both are re-scored on the item codes their instrument versions
share (``scoring.comparison.compare``), so a dimension's or an RT's movement never mixes
different sets of questions; when its questions differ between the versions, the movement
says so (``note`` and ``left_out``). A question one version lacks has no movement — never a
made-up zero. A controversy moves by its register status. Pure and exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from partenariat.plan.model import Movement, TargetKind, TargetRef
from partenariat.scoring.comparison import Comparison, compare
from partenariat.scoring.counts import AnswerCounts
from partenariat.scoring.portrait import Portrait, score
from questionnaires.loader import Instrument, Localized

Side = tuple[Instrument, Mapping[str, AnswerCounts], int, int]  # instrument, counts, n_submitted, k


@dataclass(frozen=True)
class RegisterEntry:
    """A controversy of the register as both campaigns saw it (statuses are register codes)."""

    title: str
    status_before: str | None
    status_after: str | None


def movements(targets: Iterable[TargetRef], earlier: Side, later: Side | None,
              register: Mapping[int, RegisterEntry] | None = None,
              without_later: str = "no_release_after") -> tuple[Movement, ...]:
    """One movement per target, in the targets' order. ``later`` is None when there is no
    later release to compare with; ``without_later`` is then the reason given."""
    comparison = compare(earlier, later) if later is not None else None
    alone = score(*earlier)
    reader = _Reader(earlier[0], later[0] if later else None, comparison, alone, register or {}, without_later)
    return tuple(reader.movement(target) for target in targets)


@dataclass(frozen=True)
class _Reader:
    before: Instrument
    after: Instrument | None
    comparison: Comparison | None
    alone: Portrait  # the earlier release on all its questions, for a side with no match
    register: Mapping[int, RegisterEntry]
    without_later: str

    def movement(self, target: TargetRef) -> Movement:
        if target.kind == TargetKind.CONTROVERSY:
            return self._controversy(target)
        table, members = {
            TargetKind.ITEM: ("items", lambda instrument, code: (code,)),
            TargetKind.DIMENSION: ("dimensions", lambda instrument, code: instrument.dimensions[code].items),
            TargetKind.RT: ("rts", _rt_items),
        }[TargetKind(target.kind)]
        code = target.code
        label = _label(target, self.after, self.before)
        if code not in getattr(self.before, table):
            return _missing(target, label, "absent_before")
        if self.after is None or self.comparison is None:
            return _missing(target, label, self.without_later, score_of(getattr(self.alone, table), code))
        if code not in getattr(self.after, table):
            return _missing(target, label, "absent_after", score_of(getattr(self.alone, table), code))
        old, new = set(members(self.before, code)), set(members(self.after, code))
        left_out = tuple(c for c in (*self.before.items, *self.after.items) if c in old ^ new)
        left_out = tuple(dict.fromkeys(left_out))
        if not old & new:
            return _missing(target, label, "no_shared_items", left_out=left_out)
        before = score_of(getattr(self.comparison.earlier, table), code)
        after = score_of(getattr(self.comparison.later, table), code)
        note = "items_differ" if left_out else None
        if before is None:
            return _missing(target, label, "no_score_before", after=after, note=note, left_out=left_out)
        if after is None:
            return _missing(target, label, "no_score_after", before, note=note, left_out=left_out)
        return Movement(target, label, before, after, after - before, True, note=note, left_out=left_out)

    def _controversy(self, target: TargetRef) -> Movement:
        entry = self.register.get(target.controversy_id)
        if entry is None:
            title = Localized(f"#{target.controversy_id}", f"#{target.controversy_id}")
            return _missing(target, title, "no_record_before")
        label = Localized(entry.title, entry.title)
        reason = "no_record_before" if entry.status_before is None else \
            "no_record_after" if entry.status_after is None else None
        return Movement(target, label, None, None, None, reason is None, reason=reason,
                        status_before=entry.status_before, status_after=entry.status_after)


def score_of(results: Mapping, code: str):
    return results[code].score if code in results else None


def _rt_items(instrument: Instrument, rt: str) -> tuple[str, ...]:
    return tuple(code for code, item in instrument.items.items() if rt in item.rt)


def _label(target: TargetRef, *instruments: Instrument | None) -> Localized:
    """The target's name in the latest instrument that has it (its code otherwise)."""
    for instrument in instruments:
        if instrument is None:
            continue
        if target.kind == TargetKind.ITEM and target.code in instrument.items:
            return instrument.items[target.code].statement
        if target.kind == TargetKind.DIMENSION and target.code in instrument.dimensions:
            return instrument.dimensions[target.code].name
        if target.kind == TargetKind.RT and target.code in instrument.rts:
            return instrument.rts[target.code].name
    return Localized(str(target.code), str(target.code))


def _missing(target: TargetRef, label: Localized, reason: str, before=None, after=None, note: str | None = None,
             left_out: tuple[str, ...] = ()) -> Movement:
    return Movement(target, label, before, after, None, False, reason=reason, note=note, left_out=left_out)
