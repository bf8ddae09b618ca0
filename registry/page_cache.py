"""Rendered record pages kept per process, for one content generation.

An intervention page costs about 25 ms of CPU to load and render (15 studies, 22
findings, forest plots: 60 KB of HTML), the same every time until something it shows
changes. Each process keeps the rendered part that is the same for every visitor, under
a key of what else it depends on (the language, the host in its links, what the visitor
may do there), compressed, up to PAGE_CACHE_BYTES. A kept page is valid for the content
generation it was rendered in (registry/content_generation.py): every request reads the
generation (one row), and a new one empties the cache. What differs per request (the
link back to the results, the header, usage counts) is not kept.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, current_app, g
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError

from registry.content_generation import current_generation, has_counter, is_missing_table
from registry.extensions import db
from registry.ops.metrics import observe_kept_page
from registry.search.terms import RENDERING_GENERATION

EXTENSION = "page_cache"
COMPRESSION_LEVEL = 1  # 60 KB of HTML in about 0.2 ms, to a seventh
T = TypeVar("T")


@dataclass(frozen=True)
class KeptPage:
    """The part of a page the same for every visitor, and what the view needs of it."""

    title: str
    status: str
    body: Markup


class PageCache:
    """A thread-safe LRU of compressed pages, all of one generation."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.generation: int | None = None
        self.counter_seen = False  # the database has the content generation table
        self._pages: OrderedDict[Hashable, tuple[str, str, bytes]] = OrderedDict()
        self._values: dict[Hashable, object] = {}  # kept_value's, a few, not counted
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable) -> KeptPage | None:
        with self._lock:
            self._enter(generation)
            kept = self._pages.get(key)
            if kept is None:
                return None
            self._pages.move_to_end(key)
        title, status, body = kept
        # What put() kept: a template's autoescaped output.
        return KeptPage(title, status, Markup(zlib.decompress(body).decode()))  # noqa: S704

    def put(self, generation: int, key: Hashable, page: KeptPage) -> None:
        body = zlib.compress(str(page.body).encode(), COMPRESSION_LEVEL)
        size = len(body) + len(page.title) + len(page.status)
        if size > self.max_bytes:
            return
        with self._lock:
            self._enter(generation)
            if key in self._pages:
                return
            self._pages[key] = (page.title, page.status, body)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, (title, status, old) = self._pages.popitem(last=False)
                self._bytes -= len(old) + len(title) + len(status)

    def get_value(self, generation: int, key: Hashable) -> object | None:
        with self._lock:
            self._enter(generation)
            return self._values.get(key)

    def put_value(self, generation: int, key: Hashable, value: object) -> None:
        with self._lock:
            self._enter(generation)
            self._values[key] = value

    def forget(self) -> None:
        """Drop every kept page and value."""
        with self._lock:
            self.generation = None
            self._pages.clear()
            self._values.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    def _enter(self, generation: int) -> None:
        # Any other generation, older too: a request that read the number just before a
        # commit empties what one after it kept (pages are rendered again, never stale),
        # and a database restored from a backup is not mistaken for an old one.
        if generation != self.generation:
            self._pages.clear()
            self._values.clear()
            self.generation, self._bytes = generation, 0


def init_page_cache(app: Flask) -> None:
    """Give the app its cache (none when PAGE_CACHE_BYTES is 0)."""
    size = app.config.get("PAGE_CACHE_BYTES", 0)
    if size > 0:
        app.extensions[EXTENSION] = PageCache(size)


def kept_page(key: Hashable, render: Callable[[], KeptPage]) -> KeptPage:
    """The page kept under key for the committed generation, else render() (kept)."""
    cache: PageCache | None = current_app.extensions.get(EXTENSION)
    generation = _committed_generation(cache)
    if cache is None or generation is None:
        return render()
    page = cache.get(generation, key)
    observe_kept_page(page is not None)
    if page is None:
        setattr(g, RENDERING_GENERATION, generation)
        page = render()
        cache.put(generation, key, page)
    return page


def kept_value(key: Hashable, read: Callable[[], T]) -> T:
    """What read() gave in the committed generation, kept beside the pages, else read()
    (kept). For small values every page reads, made of the KEPT_PAGE_TABLES only (a
    write elsewhere does not move the generation) and never of ORM objects (they are
    bound to the session that loaded them)."""
    cache: PageCache | None = current_app.extensions.get(EXTENSION)
    generation = _committed_generation(cache)
    if cache is None or generation is None:
        return read()
    value = cache.get_value(generation, key)
    if value is None:
        value = read()
        cache.put_value(generation, key, value)
    return value  # type: ignore[return-value]


def _committed_generation(cache: PageCache | None) -> int | None:
    """The committed content generation; None without a cache or a counter."""
    if cache is None:
        return None
    if not cache.counter_seen:
        # Asked until the upgrade made it (then never again): a query on a table that
        # does not exist would end the request's transaction on PostgreSQL.
        if not has_counter(db.session.connection()):
            return None
        cache.counter_seen = True
    try:
        # Read before what is kept is read: that is then at least this new.
        return current_generation(db.session)
    except DBAPIError as error:
        if not is_missing_table(error.orig):
            raise
        # Downgraded below 0034 under this process: the request goes on without kept
        # pages, and a counter made again later starts from nothing this process knew.
        db.session.rollback()
        cache.counter_seen = False
        cache.forget()
        return None
