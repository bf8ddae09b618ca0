"""One searcher per thread, kept across requests while the index stays the same.

Whoosh searchers are not thread-safe, so each thread has its own; the expensive
per-generation view (facet sets, sort orders) is shared through view.VIEWS.

A searcher is never refreshed: whoosh-reloaded 2.7.5's `Searcher.refresh()` reuses the
old reader's segments that are no longer in the TOC, so after a merge it would hold
merged-away segments (duplicate hits, inflated counts, then errors). When the index has
a new generation, the thread opens a new searcher and closes its old one: a thread
serves one request at a time, so no request still uses it.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from whoosh.searching import Searcher

from search_index import spelling
from search_index.storage import IndexUnavailable, current_path, open_searcher
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
        if slot.get("path") != path or not _is_current(slot.get("searcher")):
            _close(slot)
            slot["searcher"] = open_searcher(root)
            slot["path"] = path
        return slot["searcher"], VIEWS.get(slot["searcher"])
    except IndexUnavailable:
        _close(slot)
        raise
    except Exception as error:  # a damaged segment shows up here, not at open
        _close(slot)
        raise IndexUnavailable(str(error)) from error


def _is_current(searcher: Searcher | None) -> bool:
    # Compares the searcher's TOC generation with the newest on disk (one directory list).
    return searcher is not None and searcher.up_to_date()


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


def warm(root: Path, text_fields: tuple[str, ...]) -> IndexView:
    """Build what the first search of a process would otherwise wait for: the view of the
    current index (facet sets, sort orders), the text fields' length norms and the
    spelling words. A server calls it once per process before serving
    (gunicorn.conf.py): at 100k documents that was a second of the first user's query.
    Raises IndexUnavailable."""
    searcher, view = acquire(root)
    for field in text_fields:
        if field in searcher.schema:
            view.norms(searcher, field)
    if spelling.SPELLING_FIELD in searcher.schema:
        spelling.corrector(searcher, view)  # each segment's words (0.26 s at 100k)
    return view
