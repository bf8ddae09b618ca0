"""The per-process store of kept pages (registry/page_cache.PageCache)."""

from __future__ import annotations

import zlib

from markupsafe import Markup

from registry.page_cache import COMPRESSION_LEVEL, KeptPage, PageCache


def kept(body: str, title: str = "Jobcoach") -> KeptPage:
    return KeptPage(title, "effective_first", Markup(body))  # noqa: S704 (fixed test HTML)


def size(page: KeptPage) -> int:
    body = zlib.compress(str(page.body).encode(), COMPRESSION_LEVEL)
    return len(body) + len(page.title) + len(page.status)


def test_a_kept_page_comes_back_whole():
    cache = PageCache(1024 * 1024)
    page = kept("<article><h1>Jobcoach &amp; werk</h1></article>")
    cache.put(7, "jobcoach", page)
    assert cache.get(7, "jobcoach") == page


def test_another_generation_empties_the_cache_older_too():
    cache = PageCache(1024 * 1024)
    cache.put(7, "jobcoach", kept("<p>7</p>"))
    assert cache.get(8, "jobcoach") is None
    cache.put(8, "jobcoach", kept("<p>8</p>"))
    assert cache.get(7, "jobcoach") is None  # a database restored from a backup
    assert len(cache) == 0


def test_the_least_recently_used_page_goes_first_when_full():
    pages = {key: kept(f"<p>{key} " + "x" * 50 + "</p>") for key in "abc"}
    cache = PageCache(size(pages["a"]) + size(pages["b"]))
    cache.put(1, "a", pages["a"])
    cache.put(1, "b", pages["b"])
    cache.get(1, "a")
    cache.put(1, "c", pages["c"])
    assert (cache.get(1, "a"), cache.get(1, "b"), cache.get(1, "c")) == (
        pages["a"], None, pages["c"])


def test_a_page_larger_than_the_whole_cache_is_not_kept():
    page = kept("".join(chr(0x4E00 + i % 2000) for i in range(5000)))
    cache = PageCache(size(page) - 1)
    cache.put(1, "big", page)
    assert cache.get(1, "big") is None and len(cache) == 0
