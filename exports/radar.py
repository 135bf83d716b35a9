"""Radar charts with matplotlib (Agg), PNG or SVG, deterministic for the same data.

Rings at 25/50/75/100, labels in the chosen language wrapped so they do not collide, the
Okabe–Ito colour-blind-safe palette, one polygon per campaign (year) or group, with a legend.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from fractions import Fraction

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LINE_STYLES = ["-", "--", "-.", ":"]
FORMATS = ("png", "svg")


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Fraction | None]  # one per axis; None is drawn at the centre and marked


def render(axes: list[str], series: list[Series], fmt: str = "png", title: str | None = None,
           wrap: int = 18, missing_note: str | None = None) -> bytes:
    """Draw the radar and return the file's bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    from matplotlib import rc_context

    # Stable SVG ids (same data, same file), and unhinted glyphs: antialiased text looks the
    # same at this size and renders markedly faster. Labels are names people typed: a pair
    # of "$" in one ("Fonds $ et $ projets") is text, not mathtext to parse (or fail on).
    with rc_context({"svg.hashsalt": "partenariat", "text.hinting": "no_hinting", "text.parse_math": False}):
        return _draw(axes, series, fmt, title, wrap, missing_note)


def _draw(axes, series, fmt, title, wrap, missing_note) -> bytes:
    # No pyplot: a bare Figure has no window manager or global state to register, which is
    # what matplotlib advises for web servers.
    from matplotlib.figure import Figure

    count = len(axes)
    angles = [2 * 3.141592653589793 * i / count for i in range(count)]
    closed = [*angles, angles[0]]
    figure = Figure(figsize=(6.8, 6.8), dpi=100)
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(3.141592653589793 / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=8, color="#555555")
    ax.set_rlabel_position(180 / count)  # between two axes, clear of their labels
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(label, wrap) for label in axes], fontsize=8.5)
    ax.tick_params(axis="x", pad=14)
    ax.grid(color="#bbbbbb", linewidth=0.7)
    any_missing = False
    for index, line in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        values = [float(v) if v is not None else 0.0 for v in line.values]
        any_missing |= any(v is None for v in line.values)
        ax.plot(closed, [*values, values[0]], color=color, linewidth=2,
                linestyle=LINE_STYLES[index % len(LINE_STYLES)], label=line.label, marker="o", markersize=4)
        ax.fill(closed, [*values, values[0]], color=color, alpha=0.12)
    if title:
        ax.set_title(title, fontsize=12, pad=28)
    bottom = 0.0
    if series:
        figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.035), ncol=min(len(series), 3), frameon=False, fontsize=9)
        bottom = 0.05 + 0.035 * ((len(series) - 1) // 3 + 1)
    if any_missing and missing_note:
        figure.text(0.5, 0.01, missing_note, ha="center", fontsize=8, color="#555555")
    # Fixed margins sized for wrapped labels: tight_layout would measure every text
    # first, doubling the time of a render for the same picture.
    figure.subplots_adjust(left=0.18, right=0.82, top=0.80 if title else 0.88, bottom=bottom + 0.14)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        # zlib level 3: a few percent larger than the default 6, half the encoding time.
        figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()
