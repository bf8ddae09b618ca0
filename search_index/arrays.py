"""This generation's document sets, ranks, field norms and term postings as numpy arrays,
so a score over the whole catalogue is a few array operations instead of a Python loop
per document or posting. Built on first use and kept on the view (search_index/view.py),
which is replaced when the index changes; term postings are kept up to MAX_TERMS.

Two threads may build the same array at once: both results are equal and the last one
stays. Only evicting term postings takes a lock.
"""

from __future__ import annotations

import threading

import numpy as np
from whoosh.query import Term
from whoosh.searching import Searcher

from search_index.bm25 import K1
from search_index.view import IndexView

MAX_TERMS = 5000
_EVICTION = threading.Lock()


def of_mask(mask: int, size: int) -> np.ndarray:
    """A bitset as a boolean array of `size` documents."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


def kept(view: IndexView, key: tuple, build):
    """The array kept on the view under `key`, built by build() on first use."""
    found = view.arrays.get(key)
    if found is None:
        found = view.arrays[key] = build()
    return found


def facet_value(view: IndexView, facet: str, value: str) -> np.ndarray:
    """The documents with this facet value (deleted ones excluded)."""
    return kept(view, ("value", facet, value), lambda: of_mask(
        view.values.get(facet, {}).get(value, 0) & view.live, view.size))


def live(view: IndexView) -> np.ndarray:
    return kept(view, ("live",), lambda: of_mask(view.live, view.size))


def level_ranks(view: IndexView) -> np.ndarray:
    return kept(view, ("level_rank",), lambda: np.asarray(view.level_rank, dtype=np.int64))


def title_ranks(view: IndexView) -> np.ndarray:
    return kept(view, ("title_rank",), lambda: np.asarray(view.title_rank, dtype=np.int64))


def _norms(view: IndexView, searcher: Searcher, field: str) -> np.ndarray:
    return kept(view, ("norms", field), lambda: np.asarray(view.norms(searcher, field)))


def _postings(view: IndexView, searcher: Searcher, field: str, text) -> tuple:
    def build():
        ids, weights = [], []
        leaves = searcher.reader().leaf_readers()
        for (reader, offset), data in zip(leaves, view.segments, strict=True):
            if (field, text) not in reader:
                continue
            for _maxid, block_ids, block_weights in data.posting_blocks(reader, field, text):
                ids.append(np.asarray(block_ids, dtype=np.int64) + offset)
                weights.append(np.asarray(block_weights, dtype=np.float64))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(weights)

    key = ("postings", field, text)
    if key not in view.arrays:
        with _EVICTION:  # list() copies the keys at once: other threads may add meanwhile
            terms = [k for k in list(view.arrays) if k[0] == "postings"]
            if len(terms) > MAX_TERMS:
                for old in terms:
                    view.arrays.pop(old, None)
    return kept(view, key, build)


def add_bm25(scores: np.ndarray, view: IndexView, searcher: Searcher, term: Term) -> None:
    """Add the term's BM25F score (Whoosh's, search_index/ranking.py) to each document
    that contains it."""
    field, text = term.fieldname, term.text
    if not searcher.schema[field].scorable:
        return
    ids, weights = _postings(view, searcher, field, text)
    if not len(ids):
        return
    gain = searcher.idf(field, text) * term.boost * (K1 + 1)
    scores[ids] += gain * weights / (weights + _norms(view, searcher, field)[ids])
