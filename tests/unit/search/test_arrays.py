"""The index's arrays: bitsets read right, BM25 the same as the postings scorer (and so
Whoosh), bounded term postings, and the same results from threads sharing one view."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.query import Term

from search_index import arrays, searchers
from search_index.profile import ClientProfile, run_profile
from tests.factories import make_intervention


def test_a_bitset_reads_as_booleans_per_document():
    assert arrays.of_mask(0b1001, 6).tolist() == [True, False, False, True, False, False]


@given(st.sets(st.integers(min_value=0, max_value=1_999), max_size=60),
       st.integers(min_value=2_000, max_value=2_100))
def test_a_bitset_reads_as_its_document_numbers(docs, size):
    from search_index import bitsets

    mask = bitsets.from_ids(docs, size)

    assert bitsets.to_id_array(mask, size).tolist() == sorted(docs)
    assert np.flatnonzero(arrays.of_mask(mask, size)).tolist() == sorted(docs)
    assert arrays.of_mask(mask, size).dtype == np.bool_ and len(arrays.of_mask(mask, size)) == size


@pytest.fixture
def catalogue(index):
    for number in range(6):
        make_intervention(title=f"Schuldhulp {number}", summary="schulden " * (number + 1),
                          tags={"barrier": ["debt"]})
    make_intervention(title="Taal", summary="taal op het werk", tags={"barrier": ["language"]})
    index.sync()
    return index


def test_bm25_per_document_equals_whooshs_score(catalogue):
    searcher, view = searchers.acquire(catalogue.root)
    term = Term("text", "schuld")
    scores = np.zeros(view.size)
    arrays.add_bm25(scores, view, searcher, term)
    whoosh = {hit.docnum: round(hit.score, 9) for hit in searcher.search(term, limit=None)}
    assert whoosh and {doc: round(scores[doc], 9) for doc in np.flatnonzero(scores)} == whoosh


def test_bm25_equals_whooshs_score_with_deleted_documents_in_a_segment(catalogue):
    """Deleted documents still count in a term's document frequency (Whoosh's idf reads
    it from the term info, ours from the postings): the scores stay equal."""
    from registry.extensions import db
    from registry.models import Intervention

    for intervention in db.session.query(Intervention).limit(2):
        intervention.published_version.summary += " schulden"
    catalogue.sync()
    searcher, view = searchers.acquire(catalogue.root)
    assert searcher.reader().has_deletions()
    scores = np.zeros(view.size)
    arrays.add_bm25(scores, view, searcher, Term("text", "schuld"))
    whoosh = {hit.docnum: round(hit.score, 9)
              for hit in searcher.search(Term("text", "schuld"), limit=None)}
    live_scores = np.where(arrays.live(view), scores, 0)
    assert {doc: round(scores[doc], 9) for doc in np.flatnonzero(live_scores)} == whoosh


def test_term_postings_kept_are_bounded_in_bytes(catalogue, monkeypatch):
    searcher, view = searchers.acquire(catalogue.root)
    one = arrays.bm25(view, searcher, Term("text", "werk"))
    monkeypatch.setattr(arrays, "MAX_POSTINGS_BYTES", 2 * (one[0].nbytes + one[1].nbytes))
    for word in ("schuld", "taal", "werk", "op", "het", "werk"):
        arrays.add_bm25(np.zeros(view.size), view, searcher, Term("text", word))
        postings = [view.arrays[key] for key in view.arrays if key[0] == "postings"]
        scores = [view.arrays[key] for key in view.arrays if key[0] == "bm25"]
        # A term's scores share its postings' document numbers.
        assert sum(ids.nbytes + weights.nbytes for ids, weights in postings) + sum(
            term_scores.nbytes for _ids, term_scores in scores) <= arrays.MAX_POSTINGS_BYTES
    assert ("bm25", "text", "werk", 1.0) in view.arrays


def test_words_no_document_has_are_not_kept_without_bound(catalogue, monkeypatch):
    """Anyone can send words the index lacks; each kept entry costs memory though its
    arrays are empty, so it counts against the bound as well."""
    searcher, view = searchers.acquire(catalogue.root)
    monkeypatch.setattr(arrays, "MAX_POSTINGS_BYTES", 50 * arrays.ENTRY_BYTES)
    for number in range(500):
        arrays.add_bm25(np.zeros(view.size), view, searcher, Term("text", f"qx{number}zz"))
    kept = [key for key in view.arrays if key[0] == "postings"]
    assert 0 < len(kept) <= 50
    assert view.arrays[kept[-1]][0].size == 0


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


@settings(max_examples=300, deadline=None)
@given(base=st.lists(st.integers(0, 6), min_size=1, max_size=60),
       noise=st.lists(st.integers(-3, 3), min_size=60, max_size=60),
       stop=st.integers(1, 20), sample_from=st.sampled_from([10**9, 8]))
def test_best_order_with_rounding_is_a_full_sort_of_the_rounded_scores(base, noise, stop,
                                                                       sample_from):
    # Scores on a grid of 0.25 with noise of a few 1e-10: many tie once rounded to 9
    # decimals, some only just; the first `stop` must be those of sorting everything,
    # whether the cutoff is found in all scores or first guessed from a sample of them.
    scores = np.array([b * 0.25 + n * 3e-10 for b, n in zip(base, noise, strict=False)])
    ties = np.arange(len(scores))[::-1].copy()
    rounded = np.round(scores, 9)
    expected = np.lexsort((ties, -rounded))[:stop]
    with patch.multiple(arrays, SAMPLE_FROM=sample_from, SAMPLE_STRIDE=3):
        found = arrays.best_order(scores, ties, stop, decimals=9)
    assert found.tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(scores=st.lists(st.floats(-5, 5), min_size=2, max_size=200), data=st.data())
def test_the_stop_th_highest_score_is_found_from_a_sample_as_from_all(scores, data):
    stop = data.draw(st.integers(1, len(scores) - 1))
    values = np.array(scores)
    with patch.multiple(arrays, SAMPLE_FROM=4, SAMPLE_STRIDE=5):
        assert arrays._stop_th_highest(values, stop) == sorted(scores, reverse=True)[stop - 1]


@given(st.lists(st.sets(st.integers(min_value=0, max_value=1_299), max_size=400),
                min_size=1, max_size=6),
       st.sets(st.integers(min_value=0, max_value=1_299), max_size=300),
       st.integers(min_value=0, max_value=5), st.sampled_from([0, 10**6]))
def test_counts_over_the_words_a_set_uses_equal_counts_over_all_words(values, chosen, start,
                                                                     sparse_words):
    """Each value's documents in the set, counted over the 64-document words the set has
    documents in or over all of them (SPARSE_WORDS forced either way): the same counts,
    and those of the bitsets themselves."""
    from search_index import bitsets

    size = 1_300
    masks = [bitsets.from_ids(docs, size) for docs in values]
    by_value = np.array([arrays.words_of(m, size) for m in masks])
    matrix = by_value, np.ascontiguousarray(by_value.T)
    chosen_mask = bitsets.from_ids(chosen, size)
    rows = slice(min(start, len(masks) - 1), None)
    with patch.object(arrays, "SPARSE_WORDS", sparse_words):
        counts = arrays.counts_in(matrix, chosen_mask, size, rows).tolist()
    assert counts == [(m & chosen_mask).bit_count() for m in masks[rows]]
