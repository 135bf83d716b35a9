"""The RT profile of one project or of several (a partnership, over the years), and our
reading of it.

The profile counts *realised* events only (planned ones are the forward view, not history),
per RT and per domain, results and setbacks apart, in total and by year.

The reading is a **proposal**, never a score. Bilodeau et al. (Critical Public Health, 2023)
describe two strategies of local intersectoral action: "Do it", where the network holds the
levers itself and leans on capturing resources and extending its networks (RT10–RT11), and
"Make it happen", where it must convince those who hold the levers and leans on representing
itself and influencing (RT04–RT08), with decision-makers' commitment (RT12) as the hinge that
turns influence into change. The paper publishes no thresholds: the rule below is ours, kept
simple so that a coordinator can check it by hand, and it returns the counts behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from partenariat.timeline.model import Kind, Timeline
from questionnaires import Instrument

DO_IT_RTS = ("RT10", "RT11")
MAKE_IT_HAPPEN_RTS = ("RT04", "RT05", "RT06", "RT07", "RT08")
HINGE_RT = "RT12"
# Below this many results in the two groups, there is too little to read a leaning.
MIN_RESULTS = 4
# One group leads when it has at least twice the other's results.
LEAD_FACTOR = 2

READING_KEYS = ("too_few", "do_it", "make_it_happen", "make_it_happen_no_hinge", "mixed")


@dataclass(frozen=True)
class Counts:
    results: int = 0
    setbacks: int = 0

    @property
    def total(self) -> int:
        return self.results + self.setbacks

    def as_dict(self) -> dict[str, int]:
        return {"results": self.results, "setbacks": self.setbacks}


@dataclass(frozen=True)
class Tally:
    """Counts per RT (all twelve, in framework order) and per domain."""

    rts: dict[str, Counts]
    domains: dict[str, Counts]

    @property
    def total(self) -> Counts:
        return Counts(sum(c.results for c in self.rts.values()), sum(c.setbacks for c in self.rts.values()))


@dataclass(frozen=True)
class Reading:
    """Our proposed reading: a text key (wording in questionnaires/timeline/questions.toml)
    and the counts it rests on. ``proposal`` is always True, so that no consumer forgets it."""

    key: str
    do_it: int
    make_it_happen: int
    hinge: int
    proposal: bool = True

    def as_dict(self) -> dict:
        return {"key": self.key, "proposal": self.proposal,
                "counts": {"do_it": self.do_it, "make_it_happen": self.make_it_happen, "hinge": self.hinge},
                "rts": {"do_it": list(DO_IT_RTS), "make_it_happen": list(MAKE_IT_HAPPEN_RTS), "hinge": HINGE_RT}}


@dataclass(frozen=True)
class Profile:
    total: Tally
    by_year: dict[int, Tally]
    reading: Reading
    n_projects: int
    n_planned: int = 0  # planned events left out of the counts
    years: tuple[int, ...] = field(default=())


def _tally(instrument: Instrument, events) -> Tally:
    results = dict.fromkeys(instrument.rts, 0)
    setbacks = dict.fromkeys(instrument.rts, 0)
    for event in events:
        (setbacks if event.kind is Kind.SETBACK else results)[event.rt] += 1
    rts = {code: Counts(results[code], setbacks[code]) for code in instrument.rts}
    domains = {
        code: Counts(sum(results[rt] for rt in domain.rts), sum(setbacks[rt] for rt in domain.rts))
        for code, domain in instrument.domains.items()
    }
    return Tally(rts, domains)


def read(tally: Tally) -> Reading:
    """Our proposed reading of a tally (results only: a setback is not an investment made)."""
    do_it = sum(tally.rts[rt].results for rt in DO_IT_RTS)
    make = sum(tally.rts[rt].results for rt in MAKE_IT_HAPPEN_RTS)
    hinge = tally.rts[HINGE_RT].results
    if do_it + make < MIN_RESULTS:
        key = "too_few"
    elif do_it >= LEAD_FACTOR * make:
        key = "do_it"
    elif make >= LEAD_FACTOR * do_it:
        key = "make_it_happen" if hinge else "make_it_happen_no_hinge"
    else:
        key = "mixed"
    return Reading(key, do_it, make, hinge)


def profile(instrument: Instrument, timelines: Iterable[Timeline]) -> Profile:
    """The profile of one or several timelines (e.g. every project of a partnership)."""
    timelines = list(timelines)
    events = [event for timeline in timelines for event in timeline.events]
    realised = [event for event in events if event.realised]
    years = sorted({event.date.year for event in realised})
    total = _tally(instrument, realised)
    by_year = {year: _tally(instrument, (e for e in realised if e.date.year == year)) for year in years}
    return Profile(total=total, by_year=by_year, reading=read(total), n_projects=len(timelines),
                   n_planned=len(events) - len(realised), years=tuple(years))
