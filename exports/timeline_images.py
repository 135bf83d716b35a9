"""The timeline (or one effect's chain) as PNG or PDF, drawn with matplotlib (Agg) from the
same layout as the SVG, so that no new system dependency is needed.

One pixel of the layout is one pixel of the PNG (100 dpi). Math text parsing is off: titles
are the partnership's own words, and a "$" in them is a dollar sign.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.timeline_labels import (
    EFFECT_STROKE,
    LANE_BANDS,
    LANE_FILLS,
    LINK_STROKE,
    RESULT_STROKE,
    SETBACK_STROKE,
    fit,
    header,
    lane_label,
    legend,
    words,
)
from partenariat.timeline.layout import Layout, layout, layout_chain
from partenariat.timeline.model import Effect, Kind, Precision, Timeline
from questionnaires import Instrument

FORMATS = ("png", "pdf")
DPI = 100
PT = 72 / DPI  # points per layout pixel
TITLE_HEIGHT = 30
LEGEND_HEIGHT = 44


def render(timeline: Timeline, instrument: Instrument, lang: str, fmt: str = "png",
           effect_ref: str | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    from matplotlib import rc_context

    with force_locale(lang), rc_context({"text.parse_math": False, "text.hinting": "no_hinting"}):
        shape = layout(timeline, instrument) if effect_ref is None else layout_chain(timeline, effect_ref, instrument)
        return _draw(shape, timeline.title, instrument, lang, fmt)


def _draw(shape: Layout, caption: str, instrument: Instrument, lang: str, fmt: str) -> bytes:
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
    from matplotlib.path import Path

    said = words()
    width, height = shape.width, shape.height + TITLE_HEIGHT + LEGEND_HEIGHT
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    top = TITLE_HEIGHT
    ax.text(10, 20, caption, fontsize=13 * PT, fontweight="bold", va="baseline")
    for lane in shape.lanes:
        ax.add_patch(Rectangle((0, top + lane.y), width, lane.height, facecolor=LANE_BANDS[lane.code],
                               edgecolor="#d0d0d0", linewidth=0.6 * PT))
        for index, line in enumerate(lane_label(instrument, lane.code, lang, said)):
            bold = index == 0 and lane.code in instrument.domains
            ax.text(8, top + lane.y + 16 + 13 * index, line, fontsize=11 * PT, va="baseline",
                    fontweight="bold" if bold else "normal")
    bottom = top + (shape.lanes[-1].y + shape.lanes[-1].height if shape.lanes else shape.height)
    for tick in shape.ticks:
        ax.plot([tick.x, tick.x], [top + 22, bottom], color="#c8c8c8", linewidth=0.8 * PT)
        ax.text(tick.x + 3, top + 18, str(tick.year), fontsize=10 * PT, color="#555555", va="baseline")
    for arrow in shape.arrows:
        points = [(x, y + top) for x, y in arrow.points]
        path = Path(points, [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=9, color=LINK_STROKE,
                                     linewidth=1.2 * PT, shrinkA=0, shrinkB=0))
    for box in shape.boxes.values():
        node = box.node
        if isinstance(node, Effect):
            edge, style, line, fill, pad = EFFECT_STROKE, "-", 3.0, LANE_FILLS[box.lane], 8
        elif node.kind is Kind.SETBACK:
            edge, style, line, fill, pad = SETBACK_STROKE, (0, (4, 2)), 2.2, "#ffffff", 2
        else:
            edge, style, line, fill, pad = RESULT_STROKE, "-", 1.4, LANE_FILLS[box.lane], 2
        if not isinstance(node, Effect) and not node.realised:
            style = (0, (1.5, 1.5))
        ax.add_patch(FancyBboxPatch((box.x, top + box.y), box.w, box.h, boxstyle=f"round,pad=0,rounding_size={pad}",
                                    facecolor=fill, edgecolor=edge, linestyle=style, linewidth=line * PT))
        head = header(box, said)
        ax.text(box.x + 6, top + box.y + 14, fit(f"{head} · {node.date.iso()}", box.w - 10, 9.5),
                fontsize=9.5 * PT, va="baseline")
        ax.text(box.x + 6, top + box.y + 33, fit(node.title, box.w - 12, 11), fontsize=11 * PT, va="baseline")
        if node.date.precision is not Precision.DAY:
            ax.plot([box.span[0], box.span[1]], [top + box.bottom + 3] * 2, color="#777777", linewidth=2 * PT)
    y = top + shape.height + 8
    x = 10.0
    looks = {"result": (RESULT_STROKE, "-", "#E3F0FA"), "setback": (SETBACK_STROKE, (0, (4, 2)), "#ffffff"),
             "planned": (RESULT_STROKE, (0, (1.5, 1.5)), "#E3F0FA"), "effect": (EFFECT_STROKE, "-", "#F3E6EE")}
    for kind, text in legend(said):
        edge, style, fill = looks[kind]
        ax.add_patch(Rectangle((x, y), 34, 18, facecolor=fill, edgecolor=edge, linestyle=style, linewidth=1.6 * PT))
        ax.text(x + 40, y + 13, text, fontsize=10.5 * PT, va="baseline")
        x += 52 + len(text) * 6.2
    ax.add_patch(FancyArrowPatch((x, y + 9), (x + 34, y + 9), arrowstyle="-|>", mutation_scale=9, color=LINK_STROKE,
                                 linewidth=1.2 * PT))
    ax.text(x + 40, y + 13, said.led_to, fontsize=10.5 * PT, va="baseline")
    x += 52 + len(said.led_to) * 6.2
    ax.plot([x, x + 34], [y + 9, y + 9], color="#777777", linewidth=2 * PT)
    ax.text(x + 40, y + 13, said.approximate, fontsize=10.5 * PT, va="baseline")
    buffer = io.BytesIO()
    if fmt == "pdf":
        figure.savefig(buffer, format="pdf", metadata={"CreationDate": None, "Title": _("Timeline of significant events: %(title)s", title=caption)})
    else:
        figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()
