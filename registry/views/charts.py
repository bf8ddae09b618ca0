"""The geometry of the charts the server draws as SVG (templates/macros/charts.html).

Every chart stands beside a table with the same figures: the table is what screen
readers and keyboard users read, the chart is for seeing the shape at a glance. The
drawing has a fixed coordinate system (viewBox WIDTH wide) that the browser scales to the
column's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
# Text is 18 units high (templates: .chart-label): about 13 px where the chart is drawn
# 300 px wide (a 320 px screen), 18 px at its widest (26rem).
_ROW = 54  # a bar's label line, the bar and the gap below it
_BAR = 18
_LABEL_ROOM = 24  # above each bar, for its label
VALUE_ROOM = 110  # room right of the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    top: float
    length: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    bar_height: int = _BAR


def bar_chart(rows: Sequence[tuple[str, float, str]]) -> BarChart:
    """Horizontal bars, one per (label, value, value as text), the longest value filling
    the width less room for its text; a label above each bar, so long labels fit at
    any width."""
    largest = max((value for _label, value, _text in rows), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / largest
    bars = [Bar(label, text, index * _ROW + _LABEL_ROOM, max(value, 0) * scale)
            for index, (label, value, text) in enumerate(rows)]
    return BarChart(bars, max(len(rows), 1) * _ROW)


@dataclass(frozen=True)
class Tick:
    value_text: str
    y: float


@dataclass(frozen=True)
class Point:
    label: str
    sublabel: str
    x: float
    y: float | None  # None: no value (a gap in the line)
    value_text: str


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    lines: list[str]  # SVG polyline point lists, one per unbroken run of values
    ticks: list[Tick]
    height: int
    left: int
    plot_bottom: float


def line_chart(points: Sequence[tuple[str, str, float | None, str]], low: float,
               high: float, ticks: Sequence[float]) -> LineChart:
    """A line over (label, sublabel, value or None, value as text) at equal steps, the
    y axis from low to high with these ticks; a missing value breaks the line."""
    left, top, bottom_room, height = 44, 12, 50, 240
    plot_bottom = height - bottom_room
    step = (WIDTH - left - 30) / max(len(points) - 1, 1)  # room for the last label

    def y_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return plot_bottom - (clamped - low) / (high - low) * (plot_bottom - top)

    placed = [Point(label, sub, left + i * step, None if value is None else y_of(value), text)
              for i, (label, sub, value, text) in enumerate(points)]
    lines, run = [], []
    for point in placed + [None]:
        if point is not None and point.y is not None:
            run.append(f"{point.x:.1f},{point.y:.1f}")
            continue
        if len(run) > 1:
            lines.append(" ".join(run))
        run = []
    return LineChart(placed, lines, [Tick(f"{t:.1f}", y_of(t)) for t in ticks], height,
                     left, plot_bottom)
