"""One searcher per thread, kept across requests and refreshed at the start of each.

Whoosh searchers are not thread-safe, so each thread has its own; the expensive
per-generation view (facet sets, sort orders) is shared through view.VIEWS.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from whoosh.searching import Searcher

from search_index.storage import IndexUnavailable, current_path, open_current
from search_index.view import VIEWS, IndexView

_local = threading.local()


class _ThreadSearchers(dict):
    """This thread's searchers by index folder; closed when the thread ends.

    A searcher holds open files; a server that starts a thread per request would
    otherwise leave them to the garbage collector (ResourceWarning).
    """

    def __del__(self):
        for slot in self.values():
            _close(slot)


def _cached(root: Path) -> dict:
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = _ThreadSearchers()
    return cache.setdefault(str(root), {})


def acquire(root: Path) -> tuple[Searcher, IndexView]:
    """This thread's fresh searcher on the current index and its view.

    Raises IndexUnavailable when the index is missing or damaged.
    """
    slot = _cached(root)
    path = current_path(root)
    try:
        if slot.get("path") != path or _cannot_refresh(slot.get("searcher")):
            _close(slot)
            slot["searcher"] = open_current(root).searcher()
            slot["path"] = path
        else:
            slot["searcher"] = slot["searcher"].refresh()
        return slot["searcher"], VIEWS.get(slot["searcher"])
    except IndexUnavailable:
        _close(slot)
        raise
    except Exception as error:  # a damaged segment shows up here, not at open
        _close(slot)
        raise IndexUnavailable(str(error)) from error


def _cannot_refresh(searcher: Searcher | None) -> bool:
    # Whoosh 2.7.5 cannot refresh a searcher on an empty index (EmptyReader.segments() is
    # None): a fresh registry would fail every second search. Reopening an empty index is cheap.
    return searcher is None or searcher.doc_count_all() == 0


def _close(slot: dict) -> None:
    searcher = slot.pop("searcher", None)
    slot.pop("path", None)
    if searcher is not None:
        # A broken searcher may fail to close; it is dropped either way.
        with contextlib.suppress(Exception):
            searcher.close()


def release_all() -> None:
    """Close this thread's searchers (tests and shutdown)."""
    for slot in getattr(_local, "searchers", {}).values():
        _close(slot)
