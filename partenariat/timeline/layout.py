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
from collections import Counter
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


def _scale(timeline: Timeline, lane_of: dict[str, str]):
    nodes = (*timeline.events, *timeline.effects)
    first = min(node.date.ordinals[0] for node in nodes)
    last = max(node.date.ordinals[1] for node in nodes) - 1
    # From the first 1 January to the next one after the last date: whole years on the axis.
    start = datetime.date(datetime.date.fromordinal(first).year, 1, 1).toordinal()
    end = datetime.date(datetime.date.fromordinal(last).year + 1, 1, 1).toordinal()
    days = end - start
    busiest = max(Counter(lane_of.values()).values())
    per_day = max(MIN_PX_PER_YEAR / 365.25, busiest * (BOX_WIDTH + GAP) / (TARGET_ROWS * days),
                  (MIN_WIDTH - LANE_LABEL_WIDTH - RIGHT_MARGIN) / days)
    return start, end, per_day


def layout(timeline: Timeline, instrument: Instrument, skip_empty_lanes: bool = False) -> Layout:
    """The diagram of a whole timeline (an empty one gives the bare lanes)."""
    domain_of = {code: rt.domain for code, rt in instrument.rts.items()}
    lane_of = {event.ref: domain_of[event.rt] for event in timeline.events}
    lane_of.update((effect.ref, EFFECTS_LANE) for effect in timeline.effects)
    lane_codes = [*instrument.domains, EFFECTS_LANE]
    if skip_empty_lanes:
        used = set(lane_of.values())
        lane_codes = [code for code in lane_codes if code in used]
    if not lane_of:
        lanes, y = [], AXIS_HEIGHT
        for code in lane_codes:
            lanes.append(Lane(code, y, BOX_HEIGHT + 2 * LANE_PADDING, 0))
            y += BOX_HEIGHT + 2 * LANE_PADDING
        return Layout(MIN_WIDTH, y, LANE_LABEL_WIDTH, tuple(lanes), {}, (), ())

    start, end, per_day = _scale(timeline, lane_of)
    left = LANE_LABEL_WIDTH

    def x_of(ordinal: float) -> float:
        return left + (ordinal - start) * per_day

    # Rows within each lane: (node, left edge, width, row index)
    placed: dict[str, list] = {code: [] for code in lane_codes}
    row_ends: dict[str, list[float]] = {code: [] for code in lane_codes}
    ordered = sorted((node.date.middle, node.ref, node) for node in (*timeline.events, *timeline.effects))
    min_x = left
    for middle, ref, node in ordered:
        lane = lane_of[ref]
        width = EFFECT_WIDTH if lane == EFFECTS_LANE else BOX_WIDTH
        x = ideal = left + (middle - start) * per_day - width / 2
        if x < min_x:
            min_x = x
        # A month or a year may slide right, its centre staying within its period, rather
        # than stack yet another row: "2017" can be anywhere in 2017.
        latest = ideal if node.date.day is not None else ideal + (node.date.ordinals[1] - middle) * per_day
        ends = row_ends[lane]
        for row, end_x in enumerate(ends):
            if end_x + GAP <= latest:
                x = max(ideal, end_x + GAP)
                ends[row] = x + width
                break
        else:
            row = len(ends)
            ends.append(x + width)
        placed[lane].append((node, x, width, row))

    # Boxes centred on an early date may reach left of the axis: move everything right.
    shift = left - min_x
    lanes, boxes, y = [], {}, AXIS_HEIGHT
    for code in lane_codes:
        rows = max(len(row_ends[code]), 1)
        height = 2 * LANE_PADDING + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP
        lanes.append(Lane(code, y, height, len(row_ends[code])))
        top = y + LANE_PADDING
        origin = left + shift - start * per_day  # x of ordinal 0, so that x = origin + ordinal * per_day
        for node, x, width, row in placed[code]:
            first, after, middle = node.date.ordinals
            boxes[node.ref] = _new(Box, (node, code, round(x + shift), top + row * (BOX_HEIGHT + ROW_GAP), width, BOX_HEIGHT,
                                         round(origin + middle * per_day), round(origin + first * per_day),
                                         round(origin + after * per_day)))
        y += height
    width = round(max(x_of(end) + shift, max(box.x + box.w for box in boxes.values())) + RIGHT_MARGIN)
    first_year = datetime.date.fromordinal(start).year
    last_year = datetime.date.fromordinal(end).year
    ticks = tuple(Tick(round(x_of(datetime.date(year, 1, 1).toordinal()) + shift), year) for year in range(first_year, last_year + 1))
    arrows = tuple(_arrow(boxes[link.source], boxes[link.target]) for link in timeline.links
                   if link.source in boxes and link.target in boxes)
    return Layout(width, y, round(left + shift), tuple(lanes), boxes, arrows, ticks)


def layout_chain(timeline: Timeline, effect_ref: str, instrument: Instrument) -> Layout:
    """The diagram of one effect's chain: the effect and everything upstream, lanes in use only."""
    return layout(graph.chain_of(timeline, effect_ref), instrument, skip_empty_lanes=True)


def _arrow(source: Box, target: Box) -> Arrow:
    """From the side of ``source`` that faces ``target`` to the side of ``target`` facing back."""
    # Unpacked once: this runs for every link of the diagram.
    node, _lane, sx, sy, sw, sh, _date, _start, _end = source
    other, _lane, tx, ty, tw, th, _date, _start, _end = target
    if tx >= sx + sw + 4:  # ahead in time: right edge to left edge
        x0, y0, x1, y1 = sx + sw, sy + sh // 2, tx, ty + th // 2
        bend = max(18, (x1 - x0) // 2)
        return _new(Arrow, (node.ref, other.ref, x0, y0, x0 + bend, y0, x1 - bend, y1, x1, y1))
    if ty >= sy + sh:  # below, overlapping in time: bottom to top
        x0, y0, x1, y1 = sx + sw // 2, sy + sh, tx + tw // 2, ty
        bend = max(14, (y1 - y0) // 2)
        return _new(Arrow, (node.ref, other.ref, x0, y0, x0, y0 + bend, x1, y1 - bend, x1, y1))
    if ty + th <= sy:  # above: top to bottom
        x0, y0, x1, y1 = sx + sw // 2, sy, tx + tw // 2, ty + th
        bend = max(14, (y0 - y1) // 2)
        return _new(Arrow, (node.ref, other.ref, x0, y0, x0, y0 - bend, x1, y1 + bend, x1, y1))
    # Same row, earlier (a vague date): loop over the top, left edge to right edge.
    x0, y0, x1, y1 = sx, sy + sh // 2, tx + tw, ty + th // 2
    return _new(Arrow, (node.ref, other.ref, x0, y0, x0 - 30, y0 - sh, x1 + 30, y1 - th, x1, y1))
