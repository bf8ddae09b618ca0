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
from operator import itemgetter

from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from search_index import bitsets
from search_index.bm25 import K1, MODEL
from search_index.view import IndexView

_MODEL = MODEL  # Whoosh's default weighting, whose scores these reproduce


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


def _postings(blocks: list[tuple], mask: int, offset: int):
    """(document numbers, weights) per block, skipping every block whose document range
    holds no document of `mask` (numbers shifted by the segment's offset)."""
    low = offset
    for maxid, ids, weights in blocks:
        high = maxid + offset
        if (mask >> low) & ((1 << (high - low + 1)) - 1):
            yield ([d + offset for d in ids] if offset else ids), weights
        low = high + 1


def _add_term(searcher, view, term, mask: int, allowed: set, scores: dict) -> None:
    field, text = term.fieldname, term.text
    if not searcher.schema[field].scorable:
        return
    idf = searcher.idf(field, text) * term.boost
    gain = idf * (K1 + 1)
    norms = view.norms(searcher, field)
    leaves = searcher.reader().leaf_readers()
    for (reader, offset), data in zip(leaves, view.segments, strict=True):
        if (field, text) not in reader:
            continue
        blocks = data.posting_blocks(reader, field, text)
        for ids, weights in _postings(blocks, mask, offset):
            if allowed.isdisjoint(ids):  # in C: most blocks of a broad term end here
                continue
            for doc, weight in zip(ids, weights, strict=True):
                if doc in allowed:
                    scores[doc] += gain * weight / (weight + norms[doc])


def _best(scores: dict[int, float], stop: int) -> list[tuple[int, float]]:
    # nlargest with a C key, then the exact order (ties: lower document first) among
    # everything that scores at least the N-th best.
    best = heapq.nlargest(stop, scores.items(), key=itemgetter(1))
    if len(best) < stop:
        return sorted(best, key=lambda item: (-item[1], item[0]))
    cutoff = best[-1][1]
    tied = [(doc, score) for doc, score in scores.items() if score >= cutoff]
    return sorted(tied, key=lambda item: (-item[1], item[0]))[:stop]


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
    allowed = set(bitsets.to_ids(mask, view.size))
    scores: dict[int, float] = defaultdict(float)
    for term in terms:
        _add_term(searcher, view, term, mask, allowed, scores)
    return _best(scores, stop)
