"""The timeline (or one effect's chain) as a hand-written SVG, from its layout.

No JavaScript library: stock timeline widgets draw no arrows between items. Each box carries
its full title in a ``<title>`` (read by screen readers, shown on hover) while the visible
line is cut to fit. Results, setbacks, planned events and effects differ by border style and
a written marker as well as by colour. One ``<path class="link">`` per link, with an arrow
head. Lanes are named by domain in the chosen language, and a legend closes the picture.
"""

from __future__ import annotations

from html import escape

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.timeline_labels import (
    EFFECT_STROKE,
    GLYPH,
    LANE_BANDS,
    LANE_FILLS,
    LINK_STROKE,
    RESULT_STROKE,
    SETBACK_STROKE,
    fit,
    header,
    lane_label,
    words,
)
from partenariat.timeline.layout import Layout, layout, layout_chain
from partenariat.timeline.model import Effect, Kind, Precision, Timeline
from questionnaires import Instrument

TITLE_HEIGHT = 30
LEGEND_HEIGHT = 44
TITLE_SIZE = 11
HEADER_SIZE = 9.5

STYLE = (
    "text{font-family:'DejaVu Sans',Arial,sans-serif;fill:#1a1a1a}"
    ".lane-label{font-size:11px}.lane-code{font-weight:bold}.tick{font-size:10px;fill:#555}"
    ".box-head{font-size:9.5px}.box-title{font-size:11px}.caption{font-size:13px;font-weight:bold}"
    f".link{{fill:none;stroke:{LINK_STROKE};stroke-width:1.2}}"
    f".result rect{{stroke:{RESULT_STROKE};stroke-width:1.4}}"
    f".setback rect{{stroke:{SETBACK_STROKE};stroke-width:2.2;stroke-dasharray:6 3}}"
    ".planned rect{stroke-dasharray:2 2;fill-opacity:.45}"
    f".effect rect{{stroke:{EFFECT_STROKE};stroke-width:3}}"
    ".span{stroke:#777;stroke-width:2}.legend{font-size:10.5px}"
)


def _f(value: float) -> str:
    return f"{value:.0f}"


def render(timeline: Timeline, instrument: Instrument, lang: str, effect_ref: str | None = None,
           id_prefix: str = "tl") -> bytes:
    """The whole timeline, or the chain of ``effect_ref``, as UTF-8 SVG."""
    with force_locale(lang):
        shape = layout(timeline, instrument) if effect_ref is None else layout_chain(timeline, effect_ref, instrument)
        return draw(shape, timeline.title, instrument, lang, id_prefix).encode("utf-8")


def draw(shape: Layout, caption: str, instrument: Instrument, lang: str, id_prefix: str = "tl") -> str:
    said = words()
    width, height = shape.width, shape.height + TITLE_HEIGHT + LEGEND_HEIGHT
    marker = f"{id_prefix}-arrow"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" role="img" aria-labelledby="{id_prefix}-title">',
        f'<title id="{id_prefix}-title">{escape(_("Timeline of significant events: %(title)s", title=caption))}</title>',
        f"<style>{STYLE}</style>",
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{LINK_STROKE}"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text class="caption" x="10" y="20">{escape(caption)}</text>',
        f'<g transform="translate(0,{TITLE_HEIGHT})">',
    ]
    for lane in shape.lanes:
        out.append(f'<rect x="0" y="{_f(lane.y)}" width="{_f(width)}" height="{_f(lane.height)}" '
                   f'fill="{LANE_BANDS[lane.code]}" stroke="#d0d0d0" stroke-width="0.6"/>')
        lines = lane_label(instrument, lane.code, lang, said)
        code_class = ' class="lane-code"'
        spans = "".join(
            f'<tspan x="8" dy="{0 if i == 0 else 13}"{code_class if i == 0 and lane.code in instrument.domains else ""}>'
            f"{escape(line)}</tspan>" for i, line in enumerate(lines))
        out.append(f'<text class="lane-label" x="8" y="{_f(lane.y + 16)}">{spans}</text>')
    bottom = shape.lanes[-1].y + shape.lanes[-1].height if shape.lanes else shape.height
    for tick in shape.ticks:
        out.append(f'<line x1="{_f(tick.x)}" y1="22" x2="{_f(tick.x)}" y2="{_f(bottom)}" stroke="#c8c8c8" stroke-width="0.8"/>'
                   f'<text class="tick" x="{_f(tick.x + 3)}" y="18">{tick.year}</text>')
    boxes = shape.boxes
    append = out.append
    append('<g class="links">')
    led_to = escape(said.led_to)
    titles = {ref: escape(box.node.title) for ref, box in boxes.items()}
    for source, target, ((x0, y0), (c1x, c1y), (c2x, c2y), (x1, y1)) in shape.arrows:
        append(f'<path class="link" d="M{x0},{y0}C{c1x},{c1y} {c2x},{c2y} {x1},{y1}" marker-end="url(#{marker})">'
               f"<title>{led_to}: {titles[source]} → {titles[target]}</title></path>")
    append("</g>")
    # Hundreds of boxes share a few headers and dates: their texts are worked out once.
    heads, lines, dates, rooms = {}, {}, {}, {}
    for ref, box in boxes.items():
        node, x, y, w = box.node, box.x, box.y, box.w
        is_effect = isinstance(node, Effect)
        key = None if is_effect else (node.rt, node.kind, node.status)
        if key not in heads:
            head = header(box, said)
            if is_effect:
                classes, fill, radius = "node effect", None, 10
            else:
                classes = "node setback" if node.kind is Kind.SETBACK else "node result"
                if not node.realised:
                    classes += " planned"
                fill, radius = (None if node.kind is Kind.RESULT else "#ffffff"), 3
            heads[key] = (head, escape(head), classes, fill, radius)
        head, head_text, classes, fill, radius = heads[key]
        date = node.date
        if date not in dates:
            dates[date] = (escape(date.label(lang)), date.iso(), date.precision is not Precision.DAY)
        label, iso, vague = dates[date]
        line_key = (head, iso, w)
        if line_key not in lines:
            lines[line_key] = escape(fit(f"{head} · {iso}", w - 10, HEADER_SIZE))
        if w not in rooms:
            rooms[w] = max(4, int((w - 12) / (TITLE_SIZE * GLYPH)))
        room, title = rooms[w], node.title
        shown = titles[ref] if len(title) <= room else escape(title[: room - 1].rstrip() + "…")
        append(
            f'<g class="{classes}" data-ref="{escape(ref)}"><title>{titles[ref]} — {head_text}, {label}</title>'
            f'<rect x="{x}" y="{y}" width="{w}" height="{box.h}" rx="{radius}" fill="{fill or LANE_FILLS[box.lane]}"/>'
            f'<text class="box-head" x="{x + 6}" y="{y + 14}">{lines[line_key]}</text>'
            f'<text class="box-title" x="{x + 6}" y="{y + 33}">{shown}</text></g>')
        if vague:
            low = y + box.h + 3
            append(f'<line class="span" x1="{box.span[0]}" y1="{low}" x2="{box.span[1]}" y2="{low}"/>')
    out.append("</g>")
    out.extend(_legend(shape.height + TITLE_HEIGHT + 8, said, marker))
    out.append("</svg>")
    return "".join(out)


def _legend(y: float, said, marker: str) -> list[str]:
    out, x = ['<g class="legend">'], 10.0
    samples = [("result", said.result, "#E3F0FA", 3), ("setback", said.setback, "#ffffff", 3),
               ("result planned", f"{said.result} ({said.planned})", "#E3F0FA", 3), ("effect", said.effect, "#F3E6EE", 10)]
    for classes, text, fill, radius in samples:
        out.append(f'<g class="{classes}"><rect x="{_f(x)}" y="{_f(y)}" width="34" height="18" rx="{radius}" fill="{fill}"/></g>'
                   f'<text x="{_f(x + 40)}" y="{_f(y + 13)}">{escape(text)}</text>')
        x += 52 + len(text) * 6.2
    out.append(f'<line x1="{_f(x)}" y1="{_f(y + 9)}" x2="{_f(x + 34)}" y2="{_f(y + 9)}" stroke="{LINK_STROKE}" '
               f'stroke-width="1.2" marker-end="url(#{marker})"/><text x="{_f(x + 40)}" y="{_f(y + 13)}">{escape(said.led_to)}</text>')
    x += 52 + len(said.led_to) * 6.2
    out.append(f'<line class="span" x1="{_f(x)}" y1="{_f(y + 9)}" x2="{_f(x + 34)}" y2="{_f(y + 9)}"/>'
               f'<text x="{_f(x + 40)}" y="{_f(y + 13)}">{escape(said.approximate)}</text>')
    out.append("</g>")
    return out
