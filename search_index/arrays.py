"""This generation's document sets, ranks, field norms and term postings as numpy arrays,
so a score over the whole catalogue is a few array operations instead of a Python loop
per document or posting. Built on first use and kept on the view (search_index/view.py),
which is replaced when the index changes; term postings are kept up to
MAX_POSTINGS_BYTES per view (then all are dropped and built again as queries need them).

Two threads may build the same array at once: both results are equal and the last one
stays. Only evicting term postings takes a lock.
"""

from __future__ import annotations

import threading
from math import log

import numpy as np
from whoosh.query import Term
from whoosh.searching import Searcher

from search_index.bm25 import K1
from search_index.view import IndexView

MAX_POSTINGS_BYTES = 64 * 2**20  # a broad term at 100k documents: about 1.6 MB
# What keeping a term's entry costs besides its arrays (the key, its text, the dict's slot,
# the tuple): counted, so entries of terms without postings (words no document has, which
# anyone can send) are bounded too, not free. Measured at 750–1,100 bytes an entry with
# arrays of their own; the words without postings share one empty pair.
ENTRY_BYTES = 512
_NO_POSTINGS = (np.zeros(0, dtype=np.int64), np.zeros(0))
for _array in _NO_POSTINGS:
    _array.flags.writeable = False
_EVICTION = threading.Lock()
_HELD = ("postings bytes",)  # what the kept postings of a view take


def of_mask(mask: int, size: int) -> np.ndarray:
    """A bitset as a boolean array of `size` documents."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].view(np.bool_)  # 0 or 1: no copy


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


def facet_docs(view: IndexView, facet: str, value: str) -> np.ndarray:
    """The live documents with this facet value, as document numbers: adding a weight to
    them alone touches a few thousand entries, where adding it times facet_value reads
    and writes the whole catalogue (at 100k, memory traffic was most of a profile's time)."""
    return kept(view, ("value docs", facet, value),
                lambda: np.flatnonzero(facet_value(view, facet, value)).astype(np.int32))


def live(view: IndexView) -> np.ndarray:
    return kept(view, ("live",), lambda: of_mask(view.live, view.size))


def level_ranks(view: IndexView) -> np.ndarray:
    return kept(view, ("level_rank",), lambda: np.asarray(view.level_rank, dtype=np.int64))


def title_ranks(view: IndexView) -> np.ndarray:
    return kept(view, ("title_rank",), lambda: np.asarray(view.title_rank, dtype=np.int64))


def sort_positions(view: IndexView, order: str) -> np.ndarray:
    """Each document's position in one of the view's sort orders."""
    return kept(view, ("position", order), lambda: np.asarray(view.positions[order],
                                                             dtype=np.int64))


def words_of(mask: int, size: int) -> np.ndarray:
    """A bitset as 64-bit words (the layout of facet_matrix's rows)."""
    return np.frombuffer(mask.to_bytes(8 * ((size + 63) // 64), "little"), dtype=np.uint64)


def facet_matrix(view: IndexView) -> tuple[dict[str, slice], list[str], tuple]:
    """Every facet value's documents as one row of 64-bit words, so that all values are
    counted against a set in one AND and popcount: rows of a facet (a slice per facet,
    its values in name order), the values' names, and the matrix both ways (a row per
    value; a row per 64 documents, for counting over a few of them: counts_in)."""
    def build():
        rows: dict[str, slice] = {}
        names: list[str] = []
        masks: list[int] = []
        for facet in view.facets:
            values = sorted(view.values.get(facet, {}).items())
            rows[facet] = slice(len(names), len(names) + len(values))
            names += [name for name, _ in values]
            masks += [mask for _, mask in values]
        by_value = np.array([words_of(mask, view.size) for mask in masks], dtype=np.uint64)
        by_value = by_value.reshape(len(masks), (view.size + 63) // 64)
        return rows, names, (by_value, np.ascontiguousarray(by_value.T))

    return kept(view, ("facet matrix",), build)


def facet_of_rows(view: IndexView) -> list[str]:
    """The facet of each row of facet_matrix's matrix."""
    def build():
        rows = facet_matrix(view)[0]
        return [facet for facet, part in rows.items() for _ in range(part.start, part.stop)]

    return kept(view, ("facet of rows",), build)


# A set whose documents lie in fewer than one in SPARSE_WORDS of the 64-document words is
# counted over those words alone: a text search's few hundred results at 100k lie in a
# few hundred of 1,563 words, and ANDing all of them was half of its time.
SPARSE_WORDS = 3


def counts_in(matrix: tuple, mask: int, size: int, rows: slice = slice(None)) -> np.ndarray:
    """Per value of facet_matrix's matrix (of those in `rows`), how many of its documents
    are in `mask`."""
    by_value, by_words = matrix
    words = words_of(mask, size)
    used = np.flatnonzero(words)
    if len(used) * SPARSE_WORDS < len(words):
        return np.bitwise_count(by_words[used, rows] & words[used, None]).sum(
            axis=0, dtype=np.int64)
    return np.bitwise_count(by_value[rows] & words).sum(axis=1, dtype=np.int64)


def _norms(view: IndexView, searcher: Searcher, field: str) -> np.ndarray:
    return kept(view, ("norms", field), lambda: np.asarray(view.norms(searcher, field)))


def _postings(view: IndexView, searcher: Searcher, field: str, text) -> tuple:
    def build():
        ids, weights = [], []
        leaves = searcher.reader().leaf_readers()
        for (reader, offset), data in zip(leaves, view.segments, strict=True):
            # A segment's postings arrays answer for a term it lacks (no postings); only
            # without them ask the term file (a hash probe on disk per segment).
            if data.postings_arrays is None and (field, text) not in reader:
                continue
            for _maxid, block_ids, block_weights in data.posting_blocks(reader, field, text):
                ids.append(np.asarray(block_ids, dtype=np.int64) + offset)
                weights.append(np.asarray(block_weights, dtype=np.float64))
        if not ids:
            return _NO_POSTINGS
        return np.concatenate(ids), np.concatenate(weights)

    key = ("postings", field, text)
    found = view.arrays.get(key)
    if found is not None:
        return found
    found = build()
    _keep_term_arrays(view, key, found, len(text) + found[0].nbytes + found[1].nbytes)
    return found


_TERM_ARRAYS = ("postings", "bm25")  # kept per term, together up to MAX_POSTINGS_BYTES


def _keep_term_arrays(view: IndexView, key: tuple, found, nbytes: int) -> None:
    size = ENTRY_BYTES + nbytes
    with _EVICTION:
        held = view.arrays.get(_HELD, 0) + size
        if held > MAX_POSTINGS_BYTES:  # list() copies the keys: other threads may add
            for old in [k for k in list(view.arrays) if k[0] in _TERM_ARRAYS]:
                view.arrays.pop(old, None)
            held = size
        view.arrays[_HELD] = held
        view.arrays[key] = found


def best_order(scores: np.ndarray, ties: np.ndarray, stop: int,
               decimals: int | None = None) -> np.ndarray:
    """Positions of the `stop` highest scores, best first; equal scores in the order of
    ties (lower first). With `decimals`, scores equal once rounded to that many decimals
    are equal (float noise does not decide). Only what can reach the first `stop` is
    rounded and sorted: a score more than a rounding step below the stop-th best cannot."""
    positions = np.arange(len(scores))
    if len(scores) > stop:
        cutoff = _stop_th_highest(scores, stop)
        slack = 2 * 10.0 ** -decimals if decimals is not None else 0.0
        positions = np.flatnonzero(scores >= cutoff - slack)
    kept = scores[positions] if decimals is None else np.round(scores[positions], decimals)
    return positions[np.lexsort((ties[positions], -kept))][:stop]


# From this many scores on, the stop-th highest is looked for among those above a guess
# from every SAMPLE_STRIDE-th score: a partition of 100k scores took 0.8 ms, a fifth of a
# profile search at 100k; the comparison and the partition of the few above take 0.05.
SAMPLE_FROM = 4096
SAMPLE_STRIDE = 32


def _stop_th_highest(scores: np.ndarray, stop: int) -> float:
    """The stop-th highest of the scores (1 ≤ stop < len(scores))."""
    if len(scores) >= SAMPLE_FROM:
        sample = scores[::SAMPLE_STRIDE]
        rank = min(len(sample), stop // SAMPLE_STRIDE + 2)
        guess = np.partition(sample, len(sample) - rank)[len(sample) - rank]
        above = scores[scores >= guess]
        # With `stop` or more at or above the guess, the stop-th highest is one of them.
        if len(above) >= stop:
            return np.partition(above, len(above) - stop)[len(above) - stop]
    return np.partition(scores, len(scores) - stop)[len(scores) - stop]


def bm25(view: IndexView, searcher: Searcher, term: Term) -> tuple[np.ndarray, np.ndarray]:
    """(documents, scores): the term's BM25F score (Whoosh's, search_index/ranking.py) for
    each document that contains it; empty for a field that is not scored."""
    key = ("bm25", term.fieldname, term.text, term.boost)
    found = view.arrays.get(key)
    if found is not None:
        return found
    ids, weights, gain = bm25_parts(view, searcher, term)
    if not len(ids):
        return ids, weights
    # Kept beside the postings (a goal's or text's common words come back query after
    # query, and this is three passes over all their postings); bounded with them.
    found = ids, bm25_of(view, searcher, term.fieldname, gain, weights, ids)
    _keep_term_arrays(view, key, found, len(term.text) + found[1].nbytes)
    return found


def bm25_parts(view: IndexView, searcher: Searcher, term: Term
               ) -> tuple[np.ndarray, np.ndarray, float]:
    """(documents ascending, weights, gain) of a term, from which bm25_of scores any of
    its documents; no documents for a field that is not scored."""
    field, text = term.fieldname, term.text
    if not searcher.schema[field].scorable:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0.0
    ids, weights = _postings(view, searcher, field, text)
    if not len(ids):
        return ids, weights, 0.0
    return ids, weights, idf(searcher, len(ids)) * term.boost * (K1 + 1)


def bm25_of(view: IndexView, searcher: Searcher, field: str, gain: float,
            weights: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The BM25F scores of documents with these weights in a term of `field`: element by
    element the same floats for any subset of a term's documents."""
    return gain * weights / (weights + _norms(view, searcher, field)[docs])


def idf(searcher: Searcher, doc_frequency: int) -> float:
    """Whoosh's idf (whoosh.scoring.WeightingModel.idf) of a term in `doc_frequency`
    documents: a term's postings count its documents, deleted ones included, as Whoosh's
    term info does, so its idf needs no read of the term file."""
    return log(searcher.get_parent().doc_count_all() / (doc_frequency + 1)) + 1


def add_bm25(scores: np.ndarray, view: IndexView, searcher: Searcher, term: Term) -> None:
    """Add the term's BM25F score to each document that contains it."""
    ids, term_scores = bm25(view, searcher, term)
    scores[ids] += term_scores
