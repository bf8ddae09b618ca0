"""The forest plot's geometry: axis span, the line of no effect, clipping, marker sizes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from registry.effects.effect_sizes import Effect
from registry.effects.pooling import pool
from registry.views import forest

LABELS = {"row": lambda row: f"rij {row.finding.id}", "pooled": lambda group: "gepoold"}


def _row(number, g, variance, weight=None, counts=True):
    return SimpleNamespace(finding=SimpleNamespace(id=number), effect=Effect(g, variance),
                           weight=weight, counts=counts)


def _group(rows, pooled=None):
    return SimpleNamespace(rows=rows, pooled=pooled)


def test_no_plot_without_a_finding_on_the_common_scale():
    group = _group([SimpleNamespace(finding=SimpleNamespace(id=1), effect=Effect(reason="x"))])

    assert forest.forest_plot([group], LABELS) is None


@pytest.mark.parametrize(("g", "span"), [(0.1, 0.5), (0.6, 1.0), (1.2, 1.5), (2.5, 3.0),
                                         (9.0, 3.0)])
def test_the_axis_is_the_smallest_span_holding_every_interval(g, span):
    plot = forest.forest_plot([_group([_row(1, g, 0.0001)])], LABELS)

    assert plot.span == span
    assert plot.zero_x == pytest.approx((forest.LEFT + forest.RIGHT) / 2)


def test_an_interval_beyond_the_axis_is_clipped_and_marked():
    plot = forest.forest_plot([_group([_row(1, 2.8, 0.25)])], LABELS)

    (mark,) = plot.marks
    assert (mark.clipped_high, mark.x_high) == (True, forest.RIGHT)
    assert not mark.clipped_low


def test_an_estimate_beyond_the_axis_is_an_arrow_at_its_end():
    plot = forest.forest_plot([_group([_row(1, 4.5, 0.065), _row(2, -0.2, 0.01)])], LABELS)

    beyond, inside = plot.marks
    assert (beyond.off_scale, beyond.x, inside.off_scale) == (1, forest.RIGHT, 0)
    tip = beyond.arrow_points.split()[1]
    assert tip == f"{forest.RIGHT:.1f},{beyond.y:.1f}"


def test_a_pooled_group_ends_with_its_diamond_and_heavier_findings_are_larger():
    rows = [_row(1, 0.2, 0.01), _row(2, 0.5, 0.04)]
    pooled = pool([0.2, 0.5], [0.01, 0.04])
    rows[0].weight, rows[1].weight = 80.0, 20.0

    plot = forest.forest_plot([_group(rows, pooled)], LABELS)

    assert [m.pooled for m in plot.marks] == [False, False, True]
    assert plot.marks[0].size > plot.marks[1].size
    assert plot.marks[2].label == "gepoold"
    assert list(plot.diamond_points) == [2]
    assert plot.marks[0].y < plot.marks[1].y < plot.marks[2].y < plot.axis_y < plot.height


def test_ticks_are_symmetric_around_no_effect():
    plot = forest.forest_plot([_group([_row(1, 0.3, 0.01)])], LABELS)

    values = [value for _x, value, _digits in plot.ticks]
    assert values == [-0.5, -0.25, 0.0, 0.25, 0.5]
    assert all(digits == 2 for _x, _v, digits in plot.ticks)
