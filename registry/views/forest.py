"""The geometry of a forest plot (templates/macros/forest.html): one outcome domain of an
intervention, its findings on the common scale (Hedges' g) per follow-up horizon, each
horizon's pooled estimate as a diamond, the line of no effect, and which side favours
the intervention.

As the other charts (registry/views/charts.py): a fixed coordinate system WIDTH wide
that the browser scales to the column, so it reads the same at 320 px and in print; a
row's label sits on its own line above the interval, so long labels need no side column.
The findings table beside it is the text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from registry.effects.domains import Group

WIDTH = 400
LEFT, RIGHT = 8, 392  # the axis' ends, with room for a marker's half
LABEL_HEIGHT = 22  # a row's label line above its interval
TOP = 16  # room above the first label
ROW = 48
AXIS_ROOM = 78  # tick labels and the two "favours" lines below the last row
# Half-widths of the axis (in g) to choose from: the smallest that holds every interval.
SPANS = (0.5, 1.0, 1.5, 2.0, 3.0)
MAX_MARKER = 16  # the side of the square of the heaviest finding
MIN_MARKER = 6


@dataclass(frozen=True)
class Mark:
    """One row: a finding (square) or a horizon's pooled estimate (diamond)."""

    label: str
    estimate: float
    lower: float
    upper: float
    y: float  # the interval's line
    x: float
    x_low: float
    x_high: float
    size: float  # the square's side (by weight), 0 for a diamond
    counts: bool = True
    pooled: bool = False
    clipped_low: bool = False
    clipped_high: bool = False
    finding_id: int | None = None
    # -1 or 1 when the estimate itself lies beyond the axis' left or right end: drawn as
    # an arrow at that end instead of a square on it (its numbers are in the row's text).
    off_scale: int = 0

    @property
    def arrow_points(self) -> str:
        """The arrow of an estimate beyond the axis, pointing out of the plot."""
        back = -10 if self.off_scale > 0 else 10
        points = [(self.x + back, self.y - 7), (self.x, self.y), (self.x + back, self.y + 7)]
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


@dataclass
class ForestPlot:
    marks: list[Mark] = field(default_factory=list)
    ticks: list[tuple[float, float, int]] = field(default_factory=list)  # x, value, digits
    zero_x: float = WIDTH / 2
    height: float = 0
    axis_y: float = 0
    span: float = 1.0

    @property
    def diamond_points(self) -> dict[int, str]:
        """The polygon of each pooled mark, by its index in marks."""
        return {i: _diamond(m) for i, m in enumerate(self.marks) if m.pooled}


def forest_plot(groups: list[Group], labels: dict) -> ForestPlot | None:
    """The plot of one domain's groups (one per horizon), or None when no finding is on
    the common scale. `labels` gives each row's text: labels["row"](row) and
    labels["pooled"](group)."""
    rows = [(group, row) for group in groups for row in group.rows if row.effect.g is not None]
    if not rows:
        return None
    span = _span([row.effect.ci for _, row in rows]
                 + [(g.pooled.ci_lower, g.pooled.ci_upper) for g in groups if g.pooled])
    plot = ForestPlot(span=span)
    plot.zero_x = _x(0.0, span)
    y = TOP + LABEL_HEIGHT
    for group in groups:
        for row in group.rows:
            if row.effect.g is None:
                continue
            lower, upper = row.effect.ci
            plot.marks.append(_mark(labels["row"](row), row.effect.g, lower, upper, y, span,
                                    _size(row.weight), row.counts, row.finding.id))
            y += ROW
        if group.pooled:
            p = group.pooled
            plot.marks.append(_mark(labels["pooled"](group), p.estimate, p.ci_lower,
                                    p.ci_upper, y, span, 0, True, None, pooled=True))
            y += ROW
    plot.axis_y = y - ROW + 22
    plot.height = plot.axis_y + AXIS_ROOM
    step = span / 2 if span <= 1 else (0.5 if span <= 2 else 1.0)
    count = round(span / step)
    digits = 1 if step >= 0.5 else 2
    plot.ticks = [(_x(k * step, span), k * step, digits) for k in range(-count, count + 1)]
    return plot


def _span(intervals: list[tuple[float, float]]) -> float:
    widest = max(max(abs(low), abs(high)) for low, high in intervals)
    return next((s for s in SPANS if widest <= s), SPANS[-1])


def _x(value: float, span: float) -> float:
    clipped = max(-span, min(span, value))
    return LEFT + (clipped + span) / (2 * span) * (RIGHT - LEFT)


def _size(weight: float | None) -> float:
    if weight is None:
        return MIN_MARKER
    # Area proportional to weight, as forest plots draw it.
    return max(MIN_MARKER, MAX_MARKER * math.sqrt(weight / 100))


def _mark(label, estimate, lower, upper, y, span, size, counts, finding_id,
          pooled=False) -> Mark:
    off_scale = -1 if estimate < -span else (1 if estimate > span else 0)
    return Mark(label, estimate, lower, upper, y, _x(estimate, span), _x(lower, span),
                _x(upper, span), size, counts, pooled, lower < -span, upper > span,
                finding_id, off_scale)


def _diamond(mark: Mark) -> str:
    half = 8
    points = [(mark.x_low, mark.y), (mark.x, mark.y - half), (mark.x_high, mark.y),
              (mark.x, mark.y + half)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
