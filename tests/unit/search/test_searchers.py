"""Per-thread searchers: kept across requests and refreshed, also on an empty index."""

import pytest

from search_index import indexer, searchers


@pytest.fixture
def empty_index(db_session, tmp_path):
    root = tmp_path / "index"
    indexer.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def test_an_empty_index_answers_every_search_not_only_the_first(empty_index):
    searchers.acquire(empty_index)
    searcher, _view = searchers.acquire(empty_index)
    assert searcher.doc_count_all() == 0
