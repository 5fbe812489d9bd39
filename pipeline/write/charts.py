"""Charts for the report, drawn by matplotlib as inline SVG: self-contained, offline, repeatable.

The same data gives the same bytes: a fixed `svg.hashsalt` (matplotlib otherwise salts its
element ids at random), no creation date in the metadata, text kept as text (`svg.fonttype
none`, the smallest output) in matplotlib's bundled font, so no system font decides the layout.
Each chart's element ids get a prefix of its own, so several charts can share one page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib import colors as mcolors
from matplotlib.figure import Figure

RC = {
    "svg.hashsalt": "curate-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
}
METADATA = {"Date": None, "Creator": None}
WIDTH_IN, NARROW_IN = 7.2, 5.4  # a full-width chart; one of two side by side
# Height of one bar row, in inches: set by eye so that 30 labelled bars stay readable at 8 pt.
ROW_IN = 0.2
# Margins are set from the labels instead of `bbox_inches="tight"`, which draws every chart twice
# (half the report's time at N = 1,000). Width of one 8 pt character of the bundled font, in
# inches (its average advance is about 0.6 em), and the room a title, a legend and an x axis take.
CHAR_IN = 0.07
TITLE_IN, LEGEND_ROW_IN, AXIS_IN = 0.3, 0.2, 0.45
# Legend entries per row, and the inches one legend entry takes.
LEGEND_COLUMNS, LEGEND_ENTRY_IN = 6, 1.2
# Labels longer than this are cut with an ellipsis, so that one long title cannot squeeze the plot.
MAX_LABEL = 40
_ID = re.compile(r'\bid="([^"]+)"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_INDENT = re.compile(r"\n\s+")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: str


def short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def to_svg(fig: Figure, chart_id: str, description: str) -> str:
    """The figure as an <svg> element for inlining, with ids unique to this chart."""
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", metadata=METADATA)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _INDENT.sub("\n", _METADATA.sub("", svg))  # neither is drawn; a third of the bytes
    svg = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = svg.replace("url(#", f"url(#{chart_id}-").replace('xlink:href="#', f'xlink:href="#{chart_id}-')
    label = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def _figure(width: float, height: float, left: float, top: float, bottom: float, right: float = 0.15) -> Figure:
    """A figure whose plot area leaves the given margins (inches) for labels, title and axis."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return fig


def _label_width(labels: Sequence[str], limit: int = MAX_LABEL) -> float:
    return CHAR_IN * max((len(short(label, limit)) for label in labels), default=4) + 0.3


def barh(
    chart_id: str,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    xlabel: str,
    urls: Sequence[str | None] | None = None,
    bar_colors: Sequence[str] | None = None,
    legend: Sequence[tuple[str, str]] = (),
    width: float = WIDTH_IN,
) -> str:
    """Horizontal bars, one row per label, top to bottom; several series are stacked.
    `urls` make the row labels links; `bar_colors` colour a single series bar by bar."""
    entries = (len(series) if len(series) > 1 else 0) + len(legend)
    left = _label_width(labels)
    per_row = max(1, min(LEGEND_COLUMNS, int((width - left) / LEGEND_ENTRY_IN)))
    legend_in = LEGEND_ROW_IN * -(-entries // per_row)
    top = TITLE_IN + legend_in
    height = top + AXIS_IN + ROW_IN * max(len(labels), 1)
    fig = _figure(width, height, left, top, AXIS_IN)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        positions = list(range(len(labels)))
        left = [0.0] * len(labels)
        for item in series:
            color = list(bar_colors) if bar_colors is not None and len(series) == 1 else item.color
            ax.barh(positions, item.values, left=left, color=color, label=item.name, height=0.7)
            left = [a + b for a, b in zip(left, item.values, strict=True)]
        ax.set_yticks(positions, [short(label) for label in labels])
        ax.set_ylim(len(labels) - 0.5, -0.5)  # first label on top, no empty rows
        ax.set_title(title, loc="left", pad=6 + 72 * legend_in)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        for tick, url in zip(ax.get_yticklabels(), urls or [], strict=False):
            if url:
                tick.set_url(url)
        _legend(ax, series if len(series) > 1 else [], legend, per_row)
    return to_svg(fig, chart_id, title)


def _legend(ax, series: Sequence[Series], extra: Sequence[tuple[str, str]], per_row: int) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(color=s.color, label=s.name) for s in series]
    handles += [Patch(color=color, label=name) for name, color in extra]
    if handles:
        ax.legend(
            handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(handles), per_row),
            frameon=False, fontsize=7, borderaxespad=0.2, handlelength=1.0, columnspacing=1.0,
        )  # fmt: skip


def heatmap(chart_id: str, rows: Sequence[str], columns: Sequence[str], counts: list[list[int]], title: str) -> str:
    """A rows x columns grid of counts; colour on a square-root scale so that a few heavy
    cells do not wash out the rest, and empty cells stay white."""
    bottom, left = _label_width(columns, 28), _label_width(rows)
    # Square-ish cells: a few sources make a narrow chart rather than wide stripes.
    width = min(WIDTH_IN, left + 0.7 + max(0.16 * len(columns), 2.0))
    fig = _figure(width, TITLE_IN + bottom + 0.16 * max(len(rows), 1), left, TITLE_IN, bottom, 0.7)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        peak = max((max(row) for row in counts if row), default=1) or 1
        image = ax.imshow(
            counts, aspect="auto", cmap="Blues", interpolation="nearest",
            norm=mcolors.PowerNorm(gamma=0.5, vmin=0, vmax=peak),
        )  # fmt: skip
        ax.set_yticks(range(len(rows)), [short(r) for r in rows])
        ax.set_xticks(range(len(columns)), [short(c, 28) for c in columns], rotation=90)
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(title, loc="left")
        bar = fig.add_axes((1 - 0.55 / width, bottom / fig.get_figheight(), 0.12 / width, 0.5))
        fig.colorbar(image, cax=bar, label="mentions")
    return to_svg(fig, chart_id, title)


def columns(chart_id: str, labels: Sequence[str], values: Sequence[float], title: str, xlabel: str, ylabel: str) -> str:
    """Vertical bars (a distribution: documents by share removed, muscles by sources naming them)."""
    fig = _figure(NARROW_IN, 2.4, 0.6, TITLE_IN, AXIS_IN)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        ax.bar(range(len(labels)), values, color="#4c78a8", width=0.8)
        step = max(1, len(labels) // 12)  # at most a dozen tick labels
        ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)])
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    return to_svg(fig, chart_id, title)
