"""Document sets read back and paged in a sort order: the same as a full sort, whichever
way the page is found (walking the order, or selecting with numpy)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index import bitsets, query
from search_index.view import IndexView


def _view(size: int, seed: int) -> IndexView:
    order = list(range(size))
    random.Random(seed).shuffle(order)
    position = [0] * size
    for rank, doc in enumerate(order):
        position[doc] = rank
    return IndexView(size=size, live=(1 << size) - 1, values={}, ids=list(range(size)),
                     title_rank=position, level_rank=[0] * size, orders={"title": order},
                     positions={"title": position})


def _expected(view: IndexView, docs: set[int], start: int, stop: int) -> list[int]:
    return [doc for doc in view.orders["title"] if doc in docs][start:stop]


@given(st.sets(st.integers(0, 2000)), st.integers(2001, 2100))
@settings(max_examples=60, deadline=None)
def test_a_set_reads_back_as_its_document_numbers_ascending(docs, size):
    assert bitsets.to_ids(bitsets.from_ids(docs, size), size) == sorted(docs)


@pytest.mark.parametrize("count", range(bitsets.FEW_IDS + 3))
def test_a_few_documents_read_back_as_many_do(count):
    """A set of up to FEW_IDS is read bit by bit, a larger one by numpy: the same answer,
    the first and the last document included."""
    size = 10_000
    ends = [size - 1, 0][:count]
    docs = {*ends, *random.Random(count).sample(range(1, size - 1), count - len(ends))}
    mask = bitsets.from_ids(docs, size)
    assert bitsets.to_ids(mask, size) == sorted(docs) == bitsets.to_id_array(mask, size).tolist()


@pytest.mark.parametrize("mask", [-1, -(1 << 5)])
def test_a_negative_set_is_refused_not_walked_forever(mask):
    """In a thread: the walk that never ends would otherwise hang the test run."""
    import threading

    outcome = []

    def read() -> None:
        try:
            bitsets.to_ids(mask, 100)
        except ValueError:
            outcome.append("refused")

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert outcome == ["refused"]


@given(st.sets(st.integers(0, 2999), max_size=400), st.integers(0, 60), st.integers(1, 40),
       st.integers(0, 5))
@settings(max_examples=80, deadline=None)
def test_a_page_in_a_sort_order_is_that_of_a_full_sort(docs, start, length, seed):
    view = _view(3000, seed)
    mask = bitsets.from_ids(docs, view.size)
    assert query.ordered_page(view, mask, "title", start, start + length) == \
        _expected(view, docs, start, start + length)


@pytest.mark.parametrize("scan_rows", [1, 16, query.SCAN_ROWS])
def test_a_set_at_the_end_of_the_order_is_paged_right(monkeypatch, scan_rows):
    """Dense enough to walk, but gathered where the walk gives up: the selection finds it."""
    monkeypatch.setattr(query, "SCAN_ROWS", scan_rows)
    view = _view(5000, 3)
    docs = set(view.orders["title"][-2500:])
    mask = bitsets.from_ids(docs, view.size)
    for start in (0, 20, 2480):
        assert query.ordered_page(view, mask, "title", start, start + 20) == \
            _expected(view, docs, start, start + 20)


def test_a_walk_over_a_short_order_returns_what_there_is():
    view = _view(10, 1)
    docs = {1, 4, 7}
    mask = bitsets.from_ids(docs, view.size)
    assert query.ordered_page(view, mask, "title", 0, 20) == _expected(view, docs, 0, 20)
    assert query.ordered_page(view, mask, "title", 5, 25) == []
