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
    legend,
    words,
)
from partenariat.timeline.layout import Box, Layout, layout, layout_chain
from partenariat.timeline.model import Effect, EventStatus, Kind, Timeline
from questionnaires import Instrument

TITLE_HEIGHT = 30
LEGEND_HEIGHT = 44
TITLE_SIZE = 11
HEADER_SIZE = 9.5

# Scoped to the drawing's id: an SVG inlined in a page shares the page's style sheet.
STYLE = (
    "#R text{font-family:'DejaVu Sans',Arial,sans-serif;fill:#1a1a1a}"
    "#R .lane-label{font-size:11px}#R .lane-code{font-weight:bold}#R .tick{font-size:10px;fill:#555}"
    "#R .box-head{font-size:9.5px}#R .box-title{font-size:11px}#R .caption{font-size:13px;font-weight:bold}"
    f"#R .link{{fill:none;stroke:{LINK_STROKE};stroke-width:1.2}}"
    f"#R .result rect{{stroke:{RESULT_STROKE};stroke-width:1.4}}"
    f"#R .setback rect{{stroke:{SETBACK_STROKE};stroke-width:2.2;stroke-dasharray:6 3}}"
    "#R .planned rect{stroke-dasharray:2 2;fill-opacity:.45}"
    f"#R .effect rect{{stroke:{EFFECT_STROKE};stroke-width:3}}"
    "#R .span{stroke:#777;stroke-width:2}#R .legend{font-size:10.5px}"
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
        f'viewBox="0 0 {_f(width)} {_f(height)}" id="{id_prefix}" role="img" aria-labelledby="{id_prefix}-title">',
        f'<title id="{id_prefix}-title">{escape(_("Timeline of significant events: %(title)s", title=caption))}</title>',
        f"<style>{STYLE.replace('#R ', f'#{id_prefix} ')}</style>",
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
    # Boxes are written first into their own list (their escaped titles serve the arrows'
    # tooltips too), then placed after the arrows, so that arrows pass under them.
    drawn: list[str] = []
    append = drawn.append
    titles: dict[str, str] = {}
    # Hundreds of boxes share a few looks (an RT, its kind, planned or not; or an effect): the
    # text around a box's own values is worked out once per look, under keys that hash fast.
    looks: dict = {}
    result, done = Kind.RESULT, EventStatus.DONE
    english = lang == "en"
    for ref, box in boxes.items():
        node, _lane, x, y, w, h, _date_x, span_start, span_end = box
        # Most boxes are realised results, keyed by their RT alone (no tuple to build).
        if node.__class__ is Effect:
            key = None
        elif node.kind is result and node.status is done:
            key = node.rt
        else:
            key = (node.rt, node.kind, node.status)
        look = looks.get(key)
        if look is None:
            look = looks[key] = _look(box, said)
        opening, after_title, after_y, head_prefix, head, date_room, title_room = look
        date = node.date
        iso = date.text
        # An ISO date needs no escaping.
        line = f"{head_prefix}{iso}" if len(iso) <= date_room else escape(fit(f"{head} · {iso}", w - 10, HEADER_SIZE))
        title = node.title
        # Most titles hold nothing to escape: five searches cost less than five replacements.
        full = titles[ref] = escape(title) if ("&" in title or "<" in title or ">" in title or '"' in title
                                               or "'" in title) else title
        if len(title) <= title_room:
            shown = full
        elif full is title:  # nothing to escape: cut the text itself
            shown = f"{title[: title_room - 1].rstrip()}…"
        else:
            shown = escape(f"{title[: title_room - 1].rstrip()}…")
        # A month or a year is underlined with its period (a day is not).
        end = "</g>" if date.day is not None else \
            f'</g><line class="span" x1="{span_start}" y1="{y + h + 3}" x2="{span_end}" y2="{y + h + 3}"/>'
        text_x = x + 6
        # Babel's month names and digits hold nothing to escape.
        append(f'{opening}{ref if ref.isalnum() else escape(ref)}"><title>{full}{after_title}'
               f'{date.label_en if english else date.label_fr}</title><rect x="{x}" y="{y}{after_y}{text_x}" y="{y + 14}">'
               f'{line}</text><text class="box-title" x="{text_x}" y="{y + 33}">{shown}</text>{end}')
    # What every link writes between its path and its source's title, joined once.
    tip = f'" marker-end="url(#{marker})"><title>{escape(said.led_to)}: '
    out.append('<g class="links">')
    out += [f'<path class="link" d="M{x0},{y0}C{c1x},{c1y} {c2x},{c2y} {x1},{y1}{tip}{titles[source]} → {titles[target]}</title></path>'
            for source, target, x0, y0, c1x, c1y, c2x, c2y, x1, y1 in shape.arrows]
    out.append("</g>")
    out.extend(drawn)
    out.append("</g>")
    out.extend(_legend(shape.height + TITLE_HEIGHT + 8, said, marker))
    out.append("</svg>")
    return "".join(out)


def _look(box: Box, said) -> tuple:
    """What every box of ``box``'s look (its kind, RT and lane, its size) writes around its own
    values: the opening tag up to its ref, the tooltip's end up to its date, the rect's end up
    to the header's x, the header's text before the date, the header itself, the room left for
    the date and the room for the title (in characters)."""
    node = box.node
    head = header(box, said)
    if node.__class__ is Effect:
        classes, fill, radius = "node effect", None, 10
    else:
        classes = "node setback" if node.kind is Kind.SETBACK else "node result"
        if node.status is EventStatus.PLANNED:
            classes += " planned"
        fill, radius = ("#ffffff" if node.kind is Kind.SETBACK else None), 3
    head_room = max(4, int((box.w - 10) / (HEADER_SIZE * GLYPH)))
    title_room = max(4, int((box.w - 12) / (TITLE_SIZE * GLYPH)))
    head_text = escape(head)
    return (f'<g class="{classes}" data-ref="', f" — {head_text}, ",
            f'" width="{box.w}" height="{box.h}" rx="{radius}" fill="{fill or LANE_FILLS[box.lane]}"/>'
            '<text class="box-head" x="',
            f"{head_text} · ", head, head_room - len(head) - 3, title_room)


def _legend(y: float, said, marker: str) -> list[str]:
    out, x = ['<g class="legend">'], 10.0
    looks = {"result": ("result", "#E3F0FA", 3), "setback": ("setback", "#ffffff", 3),
             "planned": ("result planned", "#E3F0FA", 3), "effect": ("effect", "#F3E6EE", 10)}
    for kind, text in legend(said):
        classes, fill, radius = looks[kind]
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
