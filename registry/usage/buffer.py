"""Counting in memory: the request path only adds to a dict under a lock. A flusher
thread per process (started on the first count) writes the counts every
USAGE_FLUSH_SECONDS; counts that could not be written are kept for the next flush. A
killed process loses at most that interval's counts.

The buffer holds at most MAX_KEYS distinct cells; past that, new cells are dropped and
counted in `dropped` (the vocabularies bound the cells, so this only guards against a
bug or an attack).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

log = logging.getLogger(__name__)
MAX_KEYS = 20_000

Key = tuple[date, str, str, str]  # month, metric, dimension, value


def month_of(day: date) -> date:
    return day.replace(day=1)


class UsageBuffer:
    """Counts waiting to be written, and the thread that writes them."""

    def __init__(self, flush: Callable[[Counter], None], interval: float) -> None:
        self._flush = flush
        self._interval = interval
        self._counts: Counter = Counter()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stop = threading.Event()
        self.dropped = 0

    def add(self, keys: Iterable[Key]) -> None:
        """Count each key once."""
        with self._lock:
            for key in keys:
                if key in self._counts or len(self._counts) < MAX_KEYS:
                    self._counts[key] += 1
                else:
                    self.dropped += 1
        self._ensure_thread()

    def snapshot(self) -> Counter:
        """A copy of what waits to be written."""
        with self._lock:
            return Counter(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    def flush(self) -> None:
        """Write what is counted; on failure keep it for the next flush."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return
        try:
            self._flush(counts)
        except Exception:  # the database may be away: keep counting, try again later
            log.exception("usage counts not written; kept for the next flush")
            with self._lock:
                for key, count in counts.items():
                    if key in self._counts or len(self._counts) < MAX_KEYS:
                        self._counts[key] += count

    def _ensure_thread(self) -> None:
        # A forked worker (gunicorn) has the parent's buffer but not its thread.
        if self._interval <= 0 or (self._thread is not None and self._pid == os.getpid()):
            return
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="usage-flush", daemon=True)
            self._thread.start()
            atexit.register(self.flush)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.flush()

    def stop(self) -> None:
        self._stop.set()
