"""Top-N by relevance for plain word queries, scored straight from the postings.

Whoosh's collector walks a tree of matchers with several method calls per document and
field; on a broad query ("begeleiding werk" matches half the catalogue) that is most of
the search time. The usual query is an AND of ORs of terms, whose Whoosh score is a sum
of BM25F term scores; this module computes the same sum with array operations over each
term's postings (kept per index generation, search_index/arrays.py), for the documents
already known to match (the bitset from query.match_mask), and keeps the best N. Any
other query (phrases) returns None: the caller lets Whoosh score it.
"""

from __future__ import annotations

import numpy as np
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from search_index import arrays, bitsets
from search_index.view import IndexView


def plain_terms(query: Query) -> list[Term] | None:
    """The terms of an AND/OR tree of terms, or None when the query is anything else."""
    if isinstance(query, Term):
        return [query]
    if type(query) not in (And, Or) or getattr(query, "minmatch", 0) or query.boost != 1:
        return None
    terms: list[Term] = []
    for sub in query.subqueries:
        found = plain_terms(sub)
        if found is None:
            return None
        terms.extend(found)
    return terms


def top_scored(
    searcher: Searcher, view: IndexView, query: Query, mask: int, stop: int
) -> list[tuple[int, float]] | None:
    """The best `stop` (document, score) pairs among `mask`, best first (ties: lower
    document number first, as Whoosh orders them); None for queries this cannot score."""
    terms = plain_terms(query)
    if terms is None:
        return None
    if not mask:
        return []
    parts = [(term, *arrays.bm25_parts(view, searcher, term)) for term in terms]
    if mask.bit_count() <= FEW_CANDIDATES:
        return _top_of_few(searcher, view, parts, mask, stop)
    candidates = bitsets.to_id_array(mask, view.size)
    postings = sum(len(ids) for _term, ids, _weights, _gain in parts)
    if len(candidates) <= SPARSE_CANDIDATES and len(candidates) * SPARSE_SHARE < postings:
        docs, scores = _scored_candidates(searcher, view, parts, candidates)
    else:
        docs, scores = _scored_catalogue(searcher, view, terms, candidates)
    order = arrays.best_order(scores, docs, stop)  # ties: lower document first
    return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


# Up to this many matching documents, and when the terms' postings hold SPARSE_SHARE
# times more, each term's score is looked up for the matches alone (a binary search in
# its postings); else scores are added over the whole catalogue. A text at 100k matches
# a few hundred documents where its words' postings hold thousands (7 % off the p95 of
# 200 unseen texts there; at 10k, where postings are short, no difference).
SPARSE_CANDIDATES = 2048
SPARSE_SHARE = 4


# Up to this many matching documents (a filtered text search often has one to three),
# each term's scores of them are looked up with one binary search of them all and added
# one by one: numpy's dozen calls a term cost more than the scores. At 10k, 200 unseen
# texts, the best 20 of k of their matches, µs, arrays / one by one: 19 / 8 at k = 4,
# 20 / 11 at 8, 21 / 17 at 16, 27 / 30 at 32 (bench/README.md).
FEW_CANDIDATES = 16


def _top_of_few(searcher, view, parts, mask: int, stop: int) -> list[tuple[int, float]]:
    """top_scored's answer for a few candidates: the same sums of the same floats (each
    term's score as arrays.bm25_of computes it, added in the query's order), ordered
    best first, ties by lower document."""
    candidates = bitsets.to_ids(mask, view.size)
    scores: dict[int, float] = {}
    for term, ids, weights, gain in parts:
        if not len(ids):
            continue
        norms = view.norms(searcher, term.fieldname)
        found = len(ids)
        for doc, at in zip(candidates, np.searchsorted(ids, candidates).tolist(),
                           strict=True):
            if at < found and ids[at] == doc:
                weight = float(weights[at])
                scores[doc] = scores.get(doc, 0.0) + gain * weight / (weight + norms[doc])
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:stop]


def _scored_candidates(searcher, view, parts, candidates):
    """(documents, scores) of the candidates that some term has, from each term's
    (term, documents, weights, gain); each score summed in the query's order, as
    _scored_catalogue and Whoosh sum them."""
    scores = np.zeros(len(candidates))
    scored = np.zeros(len(candidates), dtype=bool)
    for term, ids, weights, gain in parts:
        if not len(ids):
            continue
        at = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
        has = ids[at] == candidates
        scores[has] += arrays.bm25_of(view, searcher, term.fieldname, gain,
                                      weights[at[has]], candidates[has])
        scored |= has
    return candidates[scored], scores[scored]


def _scored_catalogue(searcher, view, terms, candidates):
    scores = np.zeros(view.size)
    scored = np.zeros(view.size, dtype=bool)
    for term in terms:  # summed in the query's order, as Whoosh sums them
        ids, term_scores = arrays.bm25(view, searcher, term)
        scores[ids] += term_scores
        scored[ids] = True
    docs = candidates[scored[candidates]]
    return docs, scores[docs]
