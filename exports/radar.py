"""Radar charts with matplotlib (Agg), PNG, SVG or PDF, deterministic for the same data.

Made to be read in a room: a title saying what the chart shows, axis labels set outside the
circle and aligned away from it (so they never sit on the rings or their numbers), the score
bands shaded behind the rings, the Okabe–Ito colour-blind-safe palette, one polygon per
campaign (year) or group. A missing score is a gap in the line, never a point at 0; a series
with no score at all is named in the legend as empty, and a chart with nothing to draw says so.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from fractions import Fraction

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LINE_STYLES = ["-", "--", "-.", ":"]
FORMATS = ("png", "svg", "pdf")
RINGS = (25, 50, 75, 100)
# A PNG is for slides and print: 7.2 in at 240 dpi is 1728 px wide.
PNG_DPI = 240
SIZE_INCHES = 7.2


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Fraction | None]  # one per axis; None is a gap in the line


@dataclass(frozen=True)
class Band:
    """A shaded ring of the chart, from ``low`` to ``high`` on the 0–100 scale."""

    low: float
    high: float
    label: str
    color: str


@dataclass(frozen=True)
class Texts:
    """The words of a chart, already in the chosen language."""

    title: str | None = None
    subtitle: str | None = None
    missing_note: str | None = None  # under the chart when some score is missing
    empty_series: str = "%(label)s: no score"  # legend entry of a series with no score
    empty_chart: str = "No score to draw"


def render(axes: list[str], series: list[Series], fmt: str = "png", wrap: int = 18,
           bands: list[Band] | None = None, texts: Texts | None = None) -> bytes:
    """Draw the radar and return the file's bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    texts = texts or Texts()
    with _style():
        figure = draw(axes, series, wrap, bands or [], texts)
        return _save(figure, fmt)


def _style():
    from matplotlib import rc_context

    # Stable SVG ids (same data, same file), and unhinted glyphs: antialiased text looks the
    # same at this size and renders markedly faster. Labels are names people typed: a pair
    # of "$" in one ("Fonds $ et $ projets") is text, not mathtext to parse (or fail on).
    return rc_context({"svg.hashsalt": "partenariat", "text.hinting": "no_hinting", "text.parse_math": False,
                       "pdf.compression": 6})


def draw(axes: list[str], series: list[Series], wrap: int, bands: list[Band], texts: Texts):
    """The Figure (no pyplot: a bare Figure has no window manager or global state to
    register, which is what matplotlib advises for web servers). Tests measure its texts."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    count = len(axes)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=100)
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks(list(RINGS))
    ax.set_yticklabels([])
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    ax.grid(color="#999999", linewidth=0.7)
    ax.spines["polar"].set_color("#777777")
    for band in bands:
        # A full-circle bar: a ring that follows the circle (a filled line would be a polygon).
        ax.bar(0, band.high - band.low, width=2 * math.pi, bottom=band.low, color=band.color, zorder=0,
               linewidth=0, align="edge")
    _ring_numbers(ax, angles)
    _axis_labels(ax, axes, angles, wrap)
    handles, labels, drawn = [], [], 0
    any_missing = False
    for index, line in enumerate(series):
        color, style = PALETTE[index % len(PALETTE)], LINE_STYLES[index % len(LINE_STYLES)]
        present = [v is not None for v in line.values]
        if not any(present):
            handles.append(Patch(facecolor="none", edgecolor="none"))
            labels.append(texts.empty_series % {"label": line.label})
            continue
        drawn += 1
        any_missing |= not all(present)
        values = [float(v) if v is not None else math.nan for v in line.values]
        (handle,) = ax.plot([*angles, angles[0]], [*values, values[0]], color=color, linewidth=2.4,
                            linestyle=style, marker="o", markersize=5, zorder=3)
        if all(present):
            ax.fill([*angles, angles[0]], [*values, values[0]], color=color, alpha=0.10, zorder=2)
        handles.append(handle)
        labels.append(line.label)
    if not drawn:
        ax.text(0, 0, texts.empty_chart, ha="center", va="center", fontsize=14, color="#333333", zorder=4,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#999999"})
    top = 0.96
    if texts.title:
        figure.text(0.5, top, texts.title, ha="center", va="top", fontsize=16, fontweight="bold", gid="title")
        top -= 0.045
    if texts.subtitle:
        figure.text(0.5, top, texts.subtitle, ha="center", va="top", fontsize=11, color="#444444", gid="subtitle")
        top -= 0.035
    band_handles = [Patch(facecolor=b.color, edgecolor="#999999", label=b.label) for b in reversed(bands)]
    rows = 0
    if handles:
        columns = min(len(handles), 3)
        rows = (len(handles) - 1) // columns + 1
        figure.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.05), ncol=columns,
                      frameon=False, fontsize=11)
    if band_handles:
        figure.legend(handles=band_handles, loc="lower center", bbox_to_anchor=(0.5, 0.005), ncol=len(band_handles),
                      frameon=False, fontsize=9.5, handlelength=1.2)
    bottom = 0.07 + 0.04 * rows
    if any_missing and texts.missing_note:
        figure.text(0.5, bottom, texts.missing_note, ha="center", fontsize=9, color="#444444")
        bottom += 0.03
    # Fixed margins sized for the outside labels: tight_layout would measure every text
    # first, doubling the time of a render for the same picture.
    figure.subplots_adjust(left=0.24, right=0.76, top=top - 0.11, bottom=bottom + 0.11)
    return figure


def _ring_numbers(ax, angles) -> None:
    """The ring values on one spoke-free bearing, halfway between the first two axes, on a
    white patch so that a ring line under them does not cut the digits."""
    between = angles[1] / 2 if len(angles) > 1 else math.pi
    for ring in RINGS:
        ax.text(between, ring, str(ring), ha="center", va="center", fontsize=9, color="#333333", zorder=5, gid="ring-number",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _axis_labels(ax, axes, angles, wrap) -> None:
    """Each label just outside the circle, anchored on its side facing the chart: left-aligned
    on the right half, right-aligned on the left half, centred at the top and bottom."""
    for label, angle in zip(axes, angles, strict=True):
        x, y = math.sin(angle), math.cos(angle)  # clockwise from the top
        ha = "center" if abs(x) < 0.15 else ("left" if x > 0 else "right")
        va = "bottom" if y > 0.15 else ("top" if y < -0.15 else "center")
        ax.text(angle, 110, textwrap.fill(label, wrap), ha=ha, va=va, fontsize=11, color="#111111",
                linespacing=1.1, gid="axis-label")


def _save(figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    elif fmt == "pdf":
        figure.savefig(buffer, format="pdf", metadata={"CreationDate": None, "ModDate": None, "Producer": None})
    else:
        # zlib level 3: a few percent larger than the default 6, half the encoding time.
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None},
                       pil_kwargs={"compress_level": 3})
    return buffer.getvalue()
