"""Per-thread searchers: kept while the index stays the same, reopened when it changes
(never refreshed: see search_index/searchers.py), also on an empty index."""

import pytest

from registry.search import sync
from search_index import searchers, storage
from search_index.segments import SegmentData
from tests.factories import make_intervention


@pytest.fixture
def empty_index(db_session, tmp_path):
    root = tmp_path / "index"
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def test_an_empty_index_answers_every_search_not_only_the_first(empty_index):
    searchers.acquire(empty_index)
    searcher, _view = searchers.acquire(empty_index)
    assert searcher.doc_count_all() == 0


def _edit(intervention, summary: str) -> None:
    intervention.published_version.summary = summary


def test_a_searcher_kept_across_a_segment_merge_sees_each_record_once(index):
    # Several small syncs make several segments; a search in between keeps a searcher
    # in this thread; an optimising commit then merges the segments away.
    records = []
    for n in range(4):
        records.append(make_intervention(title=f"Schuldhulp {n}"))
        index.sync()
    assert index.search("schuldhulp").total == 4
    for n, record in enumerate(records):
        _edit(record, f"Nieuwe samenvatting {n}")
        index.sync()
    ix = storage.open_current(index.root)
    ix.writer().commit(optimize=True)

    result = index.search("schuldhulp", per_page=50)

    ids = [i for i, _ in result.hits]
    assert (result.total, sorted(ids)) == (4, sorted(r.id for r in records))
    assert index.search(filters={"barrier": []}).total == 4


def test_the_thread_opens_a_new_searcher_when_the_index_changes(index):
    make_intervention(title="Eerste")
    index.sync()
    first, _ = searchers.acquire(index.root)
    make_intervention(title="Tweede")
    index.sync()

    second, _ = searchers.acquire(index.root)

    assert second is not first and second.doc_count() == 2
    assert first.is_closed


def test_term_sets_kept_per_segment_fit_a_memory_budget():
    def kept(size: int) -> int:
        return SegmentData(size, {}, [], [], [], []).term_cache_size()

    # A set is a bit per document: 32 MB holds 2,684 at 100k documents, 26,843 at 10k
    # (bounded by count: 20,000), and at least 512 in a segment of millions.
    assert (kept(10_000), kept(100_000), kept(10_000_000), kept(10)) == (
        20_000, 2684, 512, 20_000)


def test_a_segment_keeps_more_terms_than_the_old_bound_of_512(index):
    make_intervention(title="Schuldhulp")
    index.sync()
    searcher, view = searchers.acquire(index.root)
    for number in range(600):
        view.term_mask(searcher, "text", f"woord{number}")
    assert len(view.segments[0].terms) == 600
