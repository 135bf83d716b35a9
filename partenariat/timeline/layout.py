"""Where each box and arrow of the timeline diagram goes (docs/timeline.md): geometry only, in pixels,
the same for the SVG, PNG and PDF exports and for every language.

Time runs left to right. There is one lane per RT domain (D1, D2, D3, top to bottom) and a
lane for effects. A box is centred on its date; a year or month without a day is placed at
the middle of its period, or further right within it when that saves a row, and keeps the
period's span, so that a renderer can show that the date is approximate. Within a lane, boxes
that would overlap go to the next row down (first row with room wins), so boxes never overlap. An arrow is a cubic Bézier from one box's edge
to another's. The diagram may be wide: the page shows it in a frame of its own that scrolls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from partenariat.timeline import graph
from partenariat.timeline.model import Effect, Event, Timeline
from questionnaires import Instrument

EFFECTS_LANE = "EFFECTS"
BOX_WIDTH = 150
BOX_HEIGHT = 46
EFFECT_WIDTH = 170
GAP = 10  # between two boxes of a row
ROW_GAP = 8  # between two rows of a lane
LANE_PADDING = 12
LANE_LABEL_WIDTH = 170  # the lanes' names, left of the time axis
AXIS_HEIGHT = 34
RIGHT_MARGIN = 30
MIN_PX_PER_YEAR = 240
# Aim at no more than this many rows in the busiest lane by widening the time axis.
TARGET_ROWS = 5
MIN_WIDTH = 900


# Named tuples rather than dataclasses for the many small pieces: a 300-event diagram makes
# thousands of them, and a tuple is several times cheaper to build (``_new`` below skips even
# the named tuple's Python-level constructor). Coordinates are whole pixels.
class Box(NamedTuple):
    node: Event | Effect
    lane: str
    x: int
    y: int
    w: int
    h: int
    date_x: int  # where the date falls on the axis
    span_start: int  # the date's period on the axis: its first day…
    span_end: int  # …and the day after its last

    @property
    def span(self) -> tuple[int, int]:
        return (self.span_start, self.span_end)

    @property
    def ref(self) -> str:
        return self.node.ref

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


class Lane(NamedTuple):
    code: str  # a domain code, or EFFECTS_LANE
    y: int
    height: int
    rows: int


class Arrow(NamedTuple):
    """A cubic Bézier: start, first control point, second control point, end."""

    source: str
    target: str
    x0: int
    y0: int
    c1x: int
    c1y: int
    c2x: int
    c2y: int
    x1: int
    y1: int

    @property
    def points(self) -> tuple[tuple[int, int], ...]:
        return ((self.x0, self.y0), (self.c1x, self.c1y), (self.c2x, self.c2y), (self.x1, self.y1))


class Tick(NamedTuple):
    x: int
    year: int


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    left: float  # x where the time axis starts
    lanes: tuple[Lane, ...]
    boxes: dict[str, Box]
    arrows: tuple[Arrow, ...]
    ticks: tuple[Tick, ...]


_new = tuple.__new__


def _scale(first_year: int, last_year: int, busiest: int) -> tuple[int, int, float]:
    """The time axis, from the first 1 January to the one after the last year (whole years):
    its first and last ordinals, and pixels per day wide enough for the ``busiest`` lane's
    boxes to fit in about TARGET_ROWS rows."""
    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year + 1, 1, 1).toordinal()
    days = end - start
    per_day = max(MIN_PX_PER_YEAR / 365.25, busiest * (BOX_WIDTH + GAP) / (TARGET_ROWS * days),
                  (MIN_WIDTH - LANE_LABEL_WIDTH - RIGHT_MARGIN) / days)
    return start, end, per_day


def layout(timeline: Timeline, instrument: Instrument, skip_empty_lanes: bool = False) -> Layout:
    """The diagram of a whole timeline (an empty one gives the bare lanes)."""
    domain_of = {code: rt.domain for code, rt in instrument.rts.items()}
    members: dict[str, list] = {code: [] for code in instrument.domains}
    for event in timeline.events:
        members[domain_of[event.rt]].append(event)
    members[EFFECTS_LANE] = list(timeline.effects)
    lane_codes = [*instrument.domains, EFFECTS_LANE]
    if skip_empty_lanes:
        lane_codes = [code for code in lane_codes if members[code]]
    if not timeline.events and not timeline.effects:
        lanes, y = [], AXIS_HEIGHT
        for code in lane_codes:
            lanes.append(Lane(code, y, BOX_HEIGHT + 2 * LANE_PADDING, 0))
            y += BOX_HEIGHT + 2 * LANE_PADDING
        return Layout(MIN_WIDTH, y, LANE_LABEL_WIDTH, tuple(lanes), {}, (), ())

    # Each lane's boxes in time order (then by ref), with their date's ordinals: (first day,
    # the day after the last, middle).
    queues = []
    for code in lane_codes:
        entries = sorted([((ordinals := node.date.ordinals)[2], node.ref, ordinals, node) for node in members[code]])
        queues.append((code, EFFECT_WIDTH if code == EFFECTS_LANE else BOX_WIDTH, entries))
    # A date's whole period lies within its year, so the first and last years are those of
    # the lanes' first and last boxes.
    years = [node.date.year for _code, _width, entries in queues if entries for node in (entries[0][3], entries[-1][3])]
    start, end, per_day = _scale(min(years), max(years), max(len(entries) for _code, _width, entries in queues))
    left = LANE_LABEL_WIDTH

    def x_of(ordinal: float) -> float:
        return left + (ordinal - start) * per_day

    # A box's ideal left edge centres it on its date's middle. Boxes centred on an early date
    # may reach left of the axis (a lane's first box reaches furthest): everything moves right
    # by as much, worked out before any box is placed.
    min_x = left
    for _code, width, entries in queues:
        if entries and left + (entries[0][0] - start) * per_day - width / 2 < min_x:
            min_x = left + (entries[0][0] - start) * per_day - width / 2
    shift = left - min_x
    origin = left + shift - start * per_day  # x of ordinal 0, so that x = origin + ordinal * per_day
    step = BOX_HEIGHT + ROW_GAP

    # Lane by lane, top to bottom, so that a lane's top is known when its boxes are placed.
    lanes, boxes, y, right = [], {}, AXIS_HEIGHT, x_of(end) + shift
    frames: dict[str, tuple[int, int, int, int]] = {}  # each box's x, y, width, height, for the arrows
    for code, width, entries in queues:
        top = y + LANE_PADDING
        half = width / 2
        free: list[float] = []  # where each row so far has room again: its right edge and a gap
        far = None  # the left edge of the lane's rightmost box
        for middle, ref, (first, after, _middle), node in entries:
            x = ideal = left + (middle - start) * per_day - half
            # A month or a year may slide right, its centre staying within its period, rather
            # than stack yet another row: "2017" can be anywhere in 2017 (a day spans one day).
            latest = ideal if after - first == 1 else ideal + (after - middle) * per_day
            for row, free_x in enumerate(free):
                if free_x <= latest:
                    if free_x > ideal:
                        x = free_x
                    free[row] = x + width + GAP
                    break
            else:
                row = len(free)
                free.append(x + width + GAP)
            if far is None or x > far:
                far = x
            box_x, box_y = round(x + shift), top + row * step
            boxes[ref] = _new(Box, (node, code, box_x, box_y, width, BOX_HEIGHT, round(origin + middle * per_day),
                                    round(origin + first * per_day), round(origin + after * per_day)))
            frames[ref] = (box_x, box_y, width, BOX_HEIGHT)
        rows = max(len(free), 1)
        height = 2 * LANE_PADDING + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP
        lanes.append(Lane(code, y, height, len(free)))
        if far is not None and round(far + shift) + width > right:
            right = round(far + shift) + width
        y += height
    first_year = datetime.date.fromordinal(start).year
    last_year = datetime.date.fromordinal(end).year
    ticks = tuple(Tick(round(x_of(datetime.date(year, 1, 1).toordinal()) + shift), year) for year in range(first_year, last_year + 1))
    return Layout(round(right + RIGHT_MARGIN), y, round(left + shift), tuple(lanes), boxes, _arrows(timeline.links, frames), ticks)


def layout_chain(timeline: Timeline, effect_ref: str, instrument: Instrument) -> Layout:
    """The diagram of one effect's chain: the effect and everything upstream, lanes in use only."""
    return layout(graph.chain_of(timeline, effect_ref), instrument, skip_empty_lanes=True)


def _arrows(links, frames: dict[str, tuple[int, int, int, int]]) -> tuple[Arrow, ...]:
    """One arrow per link between drawn boxes (given as plain (x, y, width, height) tuples,
    which unpack faster than a Box), from the side of the source that faces the target to the
    side of the target facing back. One loop rather than a call per link: a diagram has
    hundreds of links."""
    arrows = []
    append, frame_of = arrows.append, frames.get
    for link in links:
        source_ref, target_ref = link.source, link.target
        source, target = frame_of(source_ref), frame_of(target_ref)
        if source is None or target is None:
            continue
        sx, sy, sw, sh = source
        tx, ty, tw, th = target
        if tx >= sx + sw + 4:  # ahead in time: right edge to left edge
            x0, y0, x1, y1 = sx + sw, sy + sh // 2, tx, ty + th // 2
            bend = (x1 - x0) // 2
            if bend < 18:
                bend = 18
            append(_new(Arrow, (source_ref, target_ref, x0, y0, x0 + bend, y0, x1 - bend, y1, x1, y1)))
        elif ty >= sy + sh:  # below, overlapping in time: bottom to top
            x0, y0, x1, y1 = sx + sw // 2, sy + sh, tx + tw // 2, ty
            bend = (y1 - y0) // 2
            if bend < 14:
                bend = 14
            append(_new(Arrow, (source_ref, target_ref, x0, y0, x0, y0 + bend, x1, y1 - bend, x1, y1)))
        elif ty + th <= sy:  # above: top to bottom
            x0, y0, x1, y1 = sx + sw // 2, sy, tx + tw // 2, ty + th
            bend = (y0 - y1) // 2
            if bend < 14:
                bend = 14
            append(_new(Arrow, (source_ref, target_ref, x0, y0, x0, y0 - bend, x1, y1 + bend, x1, y1)))
        else:  # same row, earlier (a vague date): loop over the top, left edge to right edge
            x0, y0, x1, y1 = sx, sy + sh // 2, tx + tw, ty + th // 2
            append(_new(Arrow, (source_ref, target_ref, x0, y0, x0 - 30, y0 - sh, x1 + 30, y1 - th, x1, y1)))
    return tuple(arrows)
