"""The usage buffer counts in memory, hands the counts to its writer, keeps them when
writing fails, and bounds how many cells it holds."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from registry.usage import buffer as buffer_module
from registry.usage.buffer import UsageBuffer

MONTH = date(2026, 11, 1)


def key(value: str = "debt") -> tuple:
    return (MONTH, "search", "barrier", value)


def test_flush_hands_over_the_counts_and_empties_the_buffer():
    written = []
    usage = UsageBuffer(written.append, interval=0)
    usage.add([key(), key(), key("language")])
    usage.flush()
    assert (written, usage.snapshot()) == ([Counter({key(): 2, key("language"): 1})], Counter())


def test_counts_that_could_not_be_written_are_kept_for_the_next_flush():
    def fail(counts):
        raise OSError("database away")

    usage = UsageBuffer(fail, interval=0)
    usage.add([key()])
    usage.flush()
    usage.add([key()])
    assert usage.snapshot() == Counter({key(): 2})


def test_an_empty_buffer_writes_nothing():
    written = []
    UsageBuffer(written.append, interval=0).flush()
    assert written == []


def test_cells_past_the_bound_are_dropped_and_counted(monkeypatch):
    monkeypatch.setattr(buffer_module, "MAX_KEYS", 2)
    usage = UsageBuffer(lambda counts: None, interval=0)
    usage.add([key("a"), key("b"), key("c"), key("a")])
    assert (sorted(k[3] for k in usage.snapshot()), usage.dropped) == (["a", "b"], 1)


def test_without_an_interval_no_thread_is_started():
    usage = UsageBuffer(lambda counts: None, interval=0)
    usage.add([key()])
    assert usage._thread is None


@pytest.mark.parametrize(("last", "count", "first"), [
    (date(2026, 3, 15), 3, date(2026, 1, 1)), (date(2026, 2, 1), 3, date(2025, 12, 1)),
    (date(2026, 2, 1), 1000, date(2023, 3, 1)),
])
def test_months_up_to_counts_back_across_years(last, count, first):
    from registry.usage.figures import MAX_MONTHS, months_up_to

    months = months_up_to(last, count)
    assert (months[0], months[-1], len(months) <= MAX_MONTHS) == (
        first, last.replace(day=1), True)


@pytest.mark.parametrize(("count", "shown"), [(0, None), (4, None), (5, 5), (120, 120)])
def test_cells_below_five_are_suppressed(count, shown):
    from registry.usage.figures import suppressed

    assert suppressed(count) == shown


def test_the_flusher_thread_writes_by_itself():
    import threading

    written = threading.Event()
    usage = UsageBuffer(lambda counts: written.set(), interval=0.05)
    try:
        usage.add([key()])
        assert written.wait(5)
    finally:
        usage.stop()
