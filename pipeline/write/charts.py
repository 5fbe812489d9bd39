"""Charts for the report, written directly as inline SVG: self-contained, offline, repeatable.

Three shapes cover the report: horizontal bars (stacked when there are several series), vertical
bars for a distribution, and a grid of counts. Each is plain SVG text built from the data, so the
same data gives the same bytes, a chart costs well under a millisecond, and no plotting library
has to be imported by a build. Text stays text (searchable, selectable); every bar carries a
<title> with its figure, which the browser shows on hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH_IN, NARROW_IN = 7.2, 5.4  # a full-width chart; one of two side by side (inches at 100 px)
PX_PER_IN = 100
FONT_PX = 11
# Average advance of one character of the page's sans-serif font at FONT_PX: label columns are
# sized from it, so a long label never runs into the bars.
CHAR_PX = 6.3
ROW_PX = 18  # one bar row: 30 labelled rows stay readable
TITLE_PX, LEGEND_ROW_PX, AXIS_PX = 24, 18, 34
LEGEND_ENTRY_PX = 130  # room for one legend entry (swatch and name)
TICKS = 5  # about this many labelled ticks on a value axis
# Labels longer than this are cut with an ellipsis, so that one long title cannot squeeze the plot.
MAX_LABEL = 40
GRID_COLOR, AXIS_COLOR, TEXT_COLOR = "#e5e5e5", "#999999", "#222222"
# The grid's colour scale: white to this blue, on a square-root scale so that a few heavy cells
# do not wash out the rest.
HEAT_RGB = (8, 81, 156)
HEAT_CELL_PX = 16


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: str


def short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def _px(value: float) -> str:
    """A coordinate as short, stable text: '12', '12.5'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text_width(labels: Sequence[str], limit: int = MAX_LABEL) -> float:
    return CHAR_PX * max((len(short(label, limit)) for label in labels), default=4) + 10


def _figure(chart_id: str, title: str, width: float, height: float, body: list[str]) -> str:
    label = escape(title, quote=True)
    head = (
        f'<svg role="img" aria-label="{label}" class="chart" id="{chart_id}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{_px(width)}" height="{_px(height)}" viewBox="0 0 {_px(width)} {_px(height)}" '
        f'font-family="sans-serif" font-size="{FONT_PX}" fill="{TEXT_COLOR}">'
    )
    heading = f'<text x="0" y="16" font-size="{FONT_PX + 2}" font-weight="600">{escape(title)}</text>'
    return "\n".join([head, heading, *body, "</svg>"])


def nice_ticks(peak: float, count: int = TICKS) -> list[float]:
    """Round tick values from 0 up to at least `peak`: 0, 20, 40, ... or 0, 0.5, 1, ..."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(peak / step - 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def _legend(entries: Sequence[tuple[str, str]], left: float, top: float, per_row: int) -> list[str]:
    parts = []
    for i, (name, color) in enumerate(entries):
        x, y = left + (i % per_row) * LEGEND_ENTRY_PX, top + (i // per_row) * LEGEND_ROW_PX
        parts.append(f'<rect x="{_px(x)}" y="{_px(y)}" width="10" height="10" fill="{color}"/>')
        parts.append(
            f'<text x="{_px(x + 14)}" y="{_px(y + 9)}" font-size="{FONT_PX - 1}">{escape(short(name, 18))}</text>'
        )
    return parts


def _value_axis(ticks: list[float], left: float, right: float, top: float, bottom: float, label: str) -> list[str]:
    """Vertical grid lines and tick labels under a horizontal plot."""
    scale = (right - left) / ticks[-1]
    parts = []
    for tick in ticks:
        x = left + tick * scale
        parts.append(f'<line x1="{_px(x)}" y1="{_px(top)}" x2="{_px(x)}" y2="{_px(bottom)}" stroke="{GRID_COLOR}"/>')
        parts.append(f'<text x="{_px(x)}" y="{_px(bottom + 13)}" text-anchor="middle">{_number(tick)}</text>')
    parts.append(
        f'<text x="{_px((left + right) / 2)}" y="{_px(bottom + 28)}" text-anchor="middle">{escape(label)}</text>'
    )
    return parts


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
    width_px = width * PX_PER_IN
    left = _text_width(labels)
    entries = [(s.name, s.color) for s in series] if len(series) > 1 else []
    entries += list(legend)
    per_row = max(1, int((width_px - left) / LEGEND_ENTRY_PX))
    top = TITLE_PX + LEGEND_ROW_PX * -(-len(entries) // per_row)
    bottom = top + ROW_PX * max(len(labels), 1)
    right = width_px - 16
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    ticks = nice_ticks(max(totals, default=0))
    scale = (right - left) / ticks[-1]
    body = _legend(entries, left, TITLE_PX, per_row) + _value_axis(ticks, left, right, top, bottom, xlabel)
    for row, label in enumerate(labels):
        y, start = top + row * ROW_PX, 0.0
        for item in series:
            value = item.values[row]
            color = bar_colors[row] if bar_colors is not None and len(series) == 1 else item.color
            if value > 0:
                name = f"{label}: {_number(value)}" + (f" {item.name}" if len(series) > 1 else "")
                body.append(
                    f'<rect x="{_px(left + start * scale)}" y="{_px(y + 3)}" width="{_px(value * scale)}" '
                    f'height="{ROW_PX - 6}" fill="{color}"><title>{escape(name)}</title></rect>'
                )
            start += value
        text = (
            f'<text x="{_px(left - 6)}" y="{_px(y + ROW_PX / 2 + 4)}" text-anchor="end">{escape(short(label))}</text>'
        )
        url = urls[row] if urls is not None and row < len(urls) else None
        body.append(f'<a href="{escape(url, quote=True)}">{text}</a>' if url else text)
    body.append(f'<line x1="{_px(left)}" y1="{_px(top)}" x2="{_px(left)}" y2="{_px(bottom)}" stroke="{AXIS_COLOR}"/>')
    return _figure(chart_id, title, width_px, bottom + AXIS_PX, body)


def _heat(count: int, peak: int) -> str:
    if count <= 0:
        return "#ffffff"
    share = math.sqrt(count / peak)
    r, g, b = (round(255 - (255 - c) * share) for c in HEAT_RGB)
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(chart_id: str, rows: Sequence[str], columns: Sequence[str], counts: list[list[int]], title: str) -> str:
    """A rows x columns grid of counts, coloured on a square-root scale; empty cells stay white."""
    left, label_height = _text_width(rows), _text_width(columns, 28)
    top = TITLE_PX + 6
    grid_bottom = top + HEAT_CELL_PX * max(len(rows), 1)
    peak = max((max(row) for row in counts if row), default=1) or 1
    body = []
    for i, row in enumerate(rows):
        y = top + i * HEAT_CELL_PX
        body.append(f'<text x="{_px(left - 6)}" y="{_px(y + 12)}" text-anchor="end">{escape(short(row))}</text>')
        for j, count in enumerate(counts[i]):
            x = left + j * HEAT_CELL_PX
            body.append(
                f'<rect x="{_px(x)}" y="{_px(y)}" width="{HEAT_CELL_PX}" height="{HEAT_CELL_PX}" fill="{_heat(count, peak)}" '
                f'stroke="#f4f4f4"><title>{escape(f"{row} in {columns[j]}: {count}")}</title></rect>'
            )
    for j, column in enumerate(columns):
        x, y = left + j * HEAT_CELL_PX + 12, grid_bottom + 6
        body.append(
            f'<text transform="translate({_px(x)},{_px(y)}) rotate(-90)" text-anchor="end">{escape(short(column, 28))}</text>'
        )
    scale_left = left + HEAT_CELL_PX * len(columns) + 24
    for k, share in enumerate((0.0, 0.25, 0.5, 0.75, 1.0)):
        count = round(peak * share * share)
        y = top + k * HEAT_CELL_PX
        body.append(
            f'<rect x="{_px(scale_left)}" y="{_px(y)}" width="12" height="{HEAT_CELL_PX}" fill="{_heat(count, peak)}" stroke="#ddd"/>'
        )
        body.append(f'<text x="{_px(scale_left + 16)}" y="{_px(y + 12)}">{count}</text>')
    body.append(f'<text x="{_px(scale_left)}" y="{_px(top - 6)}">mentions</text>')
    width = scale_left + 16 + CHAR_PX * len(str(peak)) + 10
    return _figure(chart_id, title, max(width, scale_left + 70), grid_bottom + label_height + 6, body)


def columns(chart_id: str, labels: Sequence[str], values: Sequence[float], title: str, xlabel: str, ylabel: str) -> str:
    """Vertical bars (a distribution: documents by share removed, muscles by sources naming them)."""
    width, height = NARROW_IN * PX_PER_IN, 240
    left, top, bottom, right = 48, TITLE_PX + 8, height - AXIS_PX, NARROW_IN * PX_PER_IN - 12
    ticks = nice_ticks(max(values, default=0))
    scale = (bottom - top) / ticks[-1]
    slot = (right - left) / max(len(labels), 1)
    body = []
    for tick in ticks:
        y = bottom - tick * scale
        body.append(f'<line x1="{left}" y1="{_px(y)}" x2="{_px(right)}" y2="{_px(y)}" stroke="{GRID_COLOR}"/>')
        body.append(f'<text x="{left - 6}" y="{_px(y + 4)}" text-anchor="end">{_number(tick)}</text>')
    step = max(1, len(labels) // 12)  # at most a dozen tick labels
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * slot
        if value > 0:
            body.append(
                f'<rect x="{_px(x + slot * 0.1)}" y="{_px(bottom - value * scale)}" width="{_px(slot * 0.8)}" '
                f'height="{_px(value * scale)}" fill="#4c78a8"><title>{escape(f"{label}: {_number(value)}")}</title></rect>'
            )
        if i % step == 0:
            body.append(
                f'<text x="{_px(x + slot / 2)}" y="{_px(bottom + 13)}" text-anchor="middle">{escape(label)}</text>'
            )
    body.append(f'<line x1="{left}" y1="{_px(bottom)}" x2="{_px(right)}" y2="{_px(bottom)}" stroke="{AXIS_COLOR}"/>')
    body.append(
        f'<text x="{_px((left + right) / 2)}" y="{_px(bottom + 28)}" text-anchor="middle">{escape(xlabel)}</text>'
    )
    body.append(
        f'<text transform="translate(12,{_px((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">{escape(ylabel)}</text>'
    )
    return _figure(chart_id, title, width, height, body)
