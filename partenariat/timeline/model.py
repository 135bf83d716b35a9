"""The objects of a project's timeline (docs/timeline.md), as frozen dataclasses.

Each class maps one-to-one onto a future table: ``Timeline`` → project, ``Event`` → event,
``Effect`` → effect, ``Link`` → event_link. Refs are the labels the partnership uses (and the
import file's ``ref`` column); a database layer keeps them as a per-project unique column.
A date is a ``PartialDate``: events are often remembered as "spring 2015" or "2014" only, and
the precision is kept rather than invented.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, total_ordering

# RT on which an event may be a setback (revers): the third domain's, where actors, resources,
# networks or decision-makers can also move away from the project (docs/timeline.md).
SETBACK_RTS = ("RT09", "RT10", "RT11", "RT12")
# The `rt` value of an effect row in the import format.
EFFECT_CODE = "EFFET"


class Kind(StrEnum):
    RESULT = "resultat"
    SETBACK = "revers"


class EventStatus(StrEnum):
    DONE = "realise"
    PLANNED = "prevu"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day. Sorts by its first day, the less precise first."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        # Raises ValueError on 2015-02-30, month 13, month or day 00 (not "or 1": 0 is no month)…
        datetime.date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real date; ValueError otherwise."""
        match = _ISO.fullmatch(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        return cls(year, month, day)

    @classmethod
    def from_parts(cls, first_day: datetime.date, precision: Precision | str) -> PartialDate:
        """Back from the two columns a table stores (first day of the period, precision)."""
        precision = Precision(precision)
        if precision is Precision.YEAR:
            return cls(first_day.year)
        if precision is Precision.MONTH:
            return cls(first_day.year, first_day.month)
        return cls(first_day.year, first_day.month, first_day.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @cached_property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def last_day(self) -> datetime.date:
        if self.day is not None:
            return self.first_day
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        following = datetime.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @cached_property
    def middle(self) -> float:
        """The period's middle as a proleptic ordinal: where a vague date is best placed."""
        return (self.first_day.toordinal() + self.last_day.toordinal()) / 2

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def iso(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The ISO form, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, worked out once."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @cached_property
    def ordinals(self) -> tuple[int, int, float]:
        """First day, the day after the last, and the middle, as ordinals (for the diagrams)."""
        first, last = self.first_day.toordinal(), self.last_day.toordinal()
        return first, last + 1, (first + last) / 2

    def __str__(self) -> str:
        return self.iso()

    def label(self, lang: str) -> str:
        """"3 mars 2015" / "March 3, 2015", "mars 2015" / "March 2015", or "2015"."""
        return self.label_en if lang == "en" else self.label_fr

    # Worked out once per date: a diagram prints hundreds, and Babel's formatting is slow.
    @cached_property
    def label_fr(self) -> str:
        return _label(self, "fr")

    @cached_property
    def label_en(self) -> str:
        return _label(self, "en")


def _label(date: PartialDate, locale: str) -> str:
    from babel.dates import format_date, format_skeleton

    if date.precision is Precision.DAY:
        return format_date(date.first_day, "long", locale=locale)
    if date.precision is Precision.MONTH:
        return format_skeleton("yMMMM", date.first_day, locale=locale)
    return str(date.year)


@dataclass(frozen=True)
class Event:
    """A significant event (événement marquant), read as one transitional result."""

    ref: str
    date: PartialDate
    title: str
    rt: str
    kind: Kind = Kind.RESULT
    status: EventStatus = EventStatus.DONE
    description: str = ""
    actors: str = ""
    evidence: str = ""
    # An entry of the controversy register (RT03 events mostly); an id, never its text.
    controversy_id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "status", EventStatus(self.status))
        if self.kind is Kind.SETBACK and self.rt not in SETBACK_RTS:
            raise ValueError(f"event {self.ref}: a setback is only possible on {', '.join(SETBACK_RTS)}, not {self.rt}")

    @property
    def realised(self) -> bool:
        return self.status is EventStatus.DONE


@dataclass(frozen=True)
class Effect:
    """A concrete transformation of living environments, the end of a chain."""

    ref: str
    date: PartialDate
    title: str
    description: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Link:
    """"Led to": from an event to an event or an effect."""

    source: str
    target: str
    rationale: str = ""


@dataclass(frozen=True)
class Timeline:
    """One project's story. Build it through ``graph.build`` to have its rules checked."""

    title: str
    events: tuple[Event, ...] = ()
    effects: tuple[Effect, ...] = ()
    links: tuple[Link, ...] = ()
    description: str = ""
    start: PartialDate | None = None
    end: PartialDate | None = None

    @cached_property
    def nodes(self) -> dict[str, Event | Effect]:
        """Every event and effect by ref."""
        return {node.ref: node for node in (*self.events, *self.effects)}

    def node(self, ref: str) -> Event | Effect:
        """The event or effect labelled ``ref`` (KeyError if none)."""
        return self.nodes[ref]

    @cached_property
    def targets(self) -> dict[str, tuple[str, ...]]:
        """The refs each event led to, in link order (events without links are absent)."""
        found: dict[str, list[str]] = {}
        for link in self.links:
            found.setdefault(link.source, []).append(link.target)
        return {ref: tuple(refs) for ref, refs in found.items()}
