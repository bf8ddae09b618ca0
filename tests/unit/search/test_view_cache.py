"""The per-process view cache (search_index/view.py ViewCache): one view per index, a
commit to one index leaving the other's view alone, and a build that never makes the
searches of other generations wait."""

from __future__ import annotations

import threading

import pytest

from search_index import storage, view
from search_index.schema import build_schema
from search_index.writing import WRITER_OPTIONS


def _document(n: int) -> dict:
    return {"id": str(n), "digest": f"d{n}", "text": f"werk traject {n}",
            "title_prefix": "Werk", "spelling": "werk", "title_sort": f"t{n:04}",
            "level_rank": 1, "decided": 0, "rung_min": 1, "rung_max": 2, "barrier": "debt"}


def _add(root, n: int) -> None:
    writer = storage.open_current(root).writer(**WRITER_OPTIONS)
    writer.add_document(**_document(n))
    writer.commit()


@pytest.fixture
def roots(tmp_path):
    """Two indexes, as the interventions' and the studies' are."""
    found = []
    for name in ("index", "index-studies"):
        root = tmp_path / name
        path, _ix = storage.new_generation(root, build_schema(("barrier",)))
        storage.swap_in(root, path)
        _add(root, 1)
        found.append(root)
    return found


@pytest.fixture
def builds(monkeypatch) -> list[tuple]:
    built = []
    real = view.build_view

    def counted(searcher):
        built.append(view.generation_key(searcher))
        return real(searcher)

    monkeypatch.setattr(view, "build_view", counted)
    return built


def _get(cache, root):
    with storage.open_searcher(root) as searcher:
        return cache.get(searcher)


def test_a_commit_to_one_index_keeps_the_other_indexs_view(roots, builds):
    interventions, studies = roots
    cache = view.ViewCache()
    kept = _get(cache, interventions)
    _get(cache, studies)
    for n in range(2, 6):  # more commits to the studies than the cache has places
        _add(studies, n)
        _get(cache, studies)

    assert _get(cache, interventions) is kept
    assert len(builds) == 6 and len(cache._views) == 2


def test_a_new_generation_replaces_its_indexs_older_view(roots, builds):
    interventions, _studies = roots
    cache = view.ViewCache()
    old = _get(cache, interventions)
    _add(interventions, 2)

    new = _get(cache, interventions)

    assert new is not old and list(cache._views.values()) == [new]


def test_a_view_being_built_keeps_no_other_search_waiting(roots, monkeypatch):
    interventions, studies = roots
    cache = view.ViewCache()
    ready = _get(cache, interventions)
    started, release = threading.Event(), threading.Event()
    real = view.build_view

    def slow(searcher):
        started.set()
        release.wait(10)
        return real(searcher)

    monkeypatch.setattr(view, "build_view", slow)
    builder = threading.Thread(target=_get, args=(cache, studies))
    builder.start()
    assert started.wait(10)
    found = []
    reader = threading.Thread(target=lambda: found.append(_get(cache, interventions)))
    reader.start()
    reader.join(5)
    answered_meanwhile = not reader.is_alive()  # while the other build still waits
    release.set()
    builder.join(10)
    reader.join(10)

    assert answered_meanwhile and found == [ready]


def test_threads_wanting_the_same_new_view_build_it_once(roots, builds):
    _interventions, studies = roots
    cache = view.ViewCache()
    with storage.open_searcher(studies) as searcher:
        views = []
        threads = [threading.Thread(target=lambda: views.append(cache.get(searcher)))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)

    assert len(builds) == 1 and len(views) == 4 and len({id(v) for v in views}) == 1
