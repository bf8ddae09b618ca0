"""Top-N by relevance for plain word queries, scored straight from the postings.

Whoosh's collector walks a tree of matchers with several method calls per document and
field; on a broad query ("begeleiding werk" matches half the catalogue) that is most of
the search time. The usual query is an AND of ORs of terms, whose Whoosh score is a sum
of BM25F term scores; this module computes the same sum a postings block at a time,
only for documents already known to match (the bitset from query.match_mask), and keeps
the best N. Any other query (phrases) returns None: the caller lets Whoosh score it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import And, Or, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from search_index import bitsets
from search_index.view import IndexView

_MODEL = BM25F()  # Whoosh's default weighting, whose scores these reproduce
K1, B = _MODEL.K1, _MODEL.B


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


def _postings(matcher):
    """(document numbers, weights) a block at a time."""
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term info
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def _add_term(searcher, view, term, allowed: bytes, scores: dict) -> None:
    field, text = term.fieldname, term.text
    if not searcher.schema[field].scorable:
        return
    idf = searcher.idf(field, text) * term.boost
    gain = idf * (K1 + 1)
    norms = view.norms(searcher, field)
    for (reader, offset), _ in zip(searcher.reader().leaf_readers(), view.segments, strict=True):
        if (field, text) not in reader:
            continue
        for ids, weights in _postings(reader.postings(field, text)):
            for doc, weight in zip(ids, weights, strict=True):
                doc += offset
                if allowed[doc >> 3] >> (doc & 7) & 1:
                    scores[doc] += gain * weight / (weight + norms[doc])


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
    allowed = bitsets.to_bytes(mask, view.size)
    scores: dict[int, float] = defaultdict(float)
    for term in terms:
        _add_term(searcher, view, term, allowed, scores)
    return heapq.nsmallest(stop, scores.items(), key=lambda item: (-item[1], item[0]))
