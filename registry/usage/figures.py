"""The adoption figures read back: per month and metric, per facet value or status,
with every cell below SUPPRESS_BELOW suppressed (None), so no small group of users can
be singled out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from registry.extensions import db
from registry.models import UsageCount
from registry.usage.counting import METRICS

SUPPRESS_BELOW = 5
MAX_MONTHS = 36


def suppressed(count: int) -> int | None:
    """The count, or None when it is below SUPPRESS_BELOW."""
    return count if count >= SUPPRESS_BELOW else None


def months_up_to(last: date, count: int) -> list[date]:
    """The first days of `count` months ending with last's month, oldest first."""
    year, month = last.year, last.month
    found = []
    for _ in range(max(1, min(count, MAX_MONTHS))):
        found.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


@dataclass
class Breakdown:
    """One metric's counts per (dimension, value) over a period, largest first."""

    metric: str
    rows: list[tuple[str, str, int | None]]


def monthly_totals(months: list[date]) -> dict[str, list[tuple[date, int | None]]]:
    """Per metric: (month, total or None when suppressed) for each month."""
    rows = db.session.execute(
        select(UsageCount.metric, UsageCount.month, UsageCount.count)
        .where(UsageCount.dimension == "", UsageCount.month.in_(months)))
    found: dict[str, dict[date, int]] = defaultdict(dict)
    for metric, month, count in rows:
        found[metric][month] = count
    return {metric: [(month, suppressed(found[metric].get(month, 0))) for month in months]
            for metric in METRICS}


def breakdowns(months: list[date]) -> list[Breakdown]:
    """Per metric: each (dimension, value) summed over the months, largest first. Each
    month's count is suppressed before the sum (a month below SUPPRESS_BELOW adds
    nothing): the sums of two periods must not differ by a count the page hides."""
    rows = db.session.execute(
        select(UsageCount.metric, UsageCount.dimension, UsageCount.value, UsageCount.count)
        .where(UsageCount.dimension != "", UsageCount.month.in_(months)))
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for metric, dimension, value, count in rows:
        if metric in METRICS:
            sums[(metric, dimension, value)] += suppressed(count) or 0
    found: dict[str, list] = {metric: [] for metric in METRICS}
    for (metric, dimension, value), total in sorted(
            sums.items(), key=lambda item: (item[0][0], -item[1], item[0][1], item[0][2])):
        found[metric].append((dimension, value, total or None))
    return [Breakdown(metric, found[metric]) for metric in METRICS]
