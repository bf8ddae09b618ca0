"""The index's arrays: bitsets read right, BM25 the same as the postings scorer (and so
Whoosh), bounded term postings, and the same results from threads sharing one view."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from whoosh.query import Term

from search_index import arrays, ranking, searchers
from search_index.profile import ClientProfile, run_profile
from tests.factories import make_intervention


def test_a_bitset_reads_as_booleans_per_document():
    assert arrays.of_mask(0b1001, 6).tolist() == [True, False, False, True, False, False]


@pytest.fixture
def catalogue(index):
    for number in range(6):
        make_intervention(title=f"Schuldhulp {number}", summary="schulden " * (number + 1),
                          tags={"barrier": ["debt"]})
    make_intervention(title="Taal", summary="taal op het werk", tags={"barrier": ["language"]})
    index.sync()
    return index


def test_bm25_per_document_equals_the_postings_scorer(catalogue):
    searcher, view = searchers.acquire(catalogue.root)
    term = Term("text", "schuld")
    scores = np.zeros(view.size)
    arrays.add_bm25(scores, view, searcher, term)
    expected = ranking.top_scored(searcher, view, term, view.live, 100)
    assert expected and {doc: round(scores[doc], 9) for doc, _s in expected} == {
        doc: round(score, 9) for doc, score in expected}


def test_term_postings_kept_are_bounded(catalogue, monkeypatch):
    monkeypatch.setattr(arrays, "MAX_TERMS", 2)
    searcher, view = searchers.acquire(catalogue.root)
    for word in ("schuld", "taal", "werk", "op", "het"):
        arrays.add_bm25(np.zeros(view.size), view, searcher, Term("text", word))
    assert sum(1 for key in view.arrays if key[0] == "postings") <= 3


def test_threads_sharing_one_view_get_the_same_ranking(catalogue):
    searcher, view = searchers.acquire(catalogue.root)
    profile = ClientProfile(rung=2, barriers=["debt"], goal="schulden en taal")
    expected = [h.intervention_id for h in run_profile(searcher, view, profile).hits]
    view.arrays.clear()  # every thread builds the arrays at once

    def rank(_):
        own, own_view = searchers.acquire(catalogue.root)
        return [h.intervention_id for h in run_profile(own, own_view, profile).hits]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(rank, range(20)))
    assert expected and all(result == expected for result in results)
