"""Free text plus facets: OR within a facet, AND across facets, counts without own filter."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import numpy as np
from whoosh import qparser
from whoosh.query import (
    And,
    Every,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Query,
    Term,
    TermRange,
)
from whoosh.searching import Searcher

from search_index import arrays, bitsets, ranking, spelling
from search_index.analysis import (
    MAX_KEPT_WORD,
    SPELLING_ANALYZER,
    TEXT_ANALYZER,
    dutch_term,
)
from search_index.schema import ENGLISH_FIELD, TEXT_FIELDS
from search_index.view import IndexView

SORTS = ("relevance", "level", "title", "decided")
# Below this many results we offer a spelling suggestion.
FEW_RESULTS = 3
# With fewer full matches, up to this many records matching some of the words follow,
# the best of the first PARTIAL_POOL by relevance.
PARTIAL_LIMIT = 10
PARTIAL_POOL = 200
# What one query may cost: longer text is cut, further words are left out.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 24
# A quoted phrase whose words occur together in more documents than this matches as its
# words (AND): checking word positions in tens of thousands of documents cost 2 s of CPU
# for one "begeleiding werk" at 100k records.
PHRASE_CANDIDATES = 2000
# Words of three letters and fewer are abbreviations more often than typos (wsw, nt2,
# lvb, uwv): not corrected.
MIN_CORRECTED_LENGTH = 4
TWO_EDITS_FROM = 8  # letters
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_PARTS = re.compile(r'"[^"]*"|[^\s"]+')


@dataclass
class SearchRequest:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    # When the text finds fewer than FEW_RESULTS: a spelling suggestion (the API shows it
    # too), and, for the search page alone, the records matching some of the words and
    # the number of results without each word (alternatives). Only what is shown is
    # computed: the API, exports and feeds would otherwise rank and load partial matches
    # nobody sees.
    suggest: bool = True
    alternatives: bool = False


@dataclass(slots=True)  # a search builds dozens: slots make each a third cheaper
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass
class Relaxation:
    """Dropping one chosen value would give `count` results."""

    facet: str
    value: str
    count: int


@dataclass
class PartialHit:
    """A record that matches some of the words, not all: shown after the full matches."""

    intervention_id: int
    score: float
    matched: int  # how many of the words


@dataclass
class WordDrop:
    """Leaving out one word of the text would give `count` results."""

    word: str
    text: str
    count: int


@dataclass
class SearchResult:
    total: int
    hits: list[tuple[int, float]]  # (intervention id, score), in result order
    facets: dict[str, list[FacetValue]]
    query: Query | None = None
    suggestion: str | None = None
    relaxations: list[Relaxation] = field(default_factory=list)
    words: int = 0  # how many words the text was searched with
    partial: list[PartialHit] = field(default_factory=list)
    word_drops: list[WordDrop] = field(default_factory=list)
    partial_items: list = field(default_factory=list)  # loaded by service.search


def user_parser(fieldnames: list[str], schema) -> qparser.QueryParser:
    """The users' query language: words, "quoted phrases", and OR / NOT between words.

    Fields, wildcards, ranges, fuzzy terms, boosts and groups are plain text to users:
    they gave errors or expanded over the whole term list (one `[a TO z]` cost 79 s of
    CPU at 10k records), and nested groups would bound nothing but the stack.
    """
    plugins = [qparser.PhrasePlugin(), qparser.OperatorsPlugin()]
    return qparser.MultifieldParser(fieldnames, schema, plugins=plugins)


def clean_text(text: str) -> str:
    """The user's text, bounded in size, without the words that cannot match anywhere.

    A stop word (de, en, zonder) or a lone sign is dropped here, before parsing: the
    text field drops it, but another field would still require it. A wildcard's star is
    dropped too: the words keep it ("schuld*" would search a term no record has), and
    the word alone finds its forms and compounds ("schuld*" as "schuld": schulden,
    schuldhulp).
    """
    parts = [part if part.startswith('"') else part.replace("*", "")
             for part in _PARTS.findall(text[:MAX_QUERY_CHARS])]
    kept = [part for part in parts if part.startswith('"') or _indexable(part)]
    return " ".join(kept[:MAX_QUERY_WORDS])


def _indexable(word: str) -> bool:
    """Whether the text field keeps anything of the word (the analysis is the code's, the
    same for every index): kept per word, as the parsed word queries are (a long word is
    worked out each time: MAX_KEPT_WORD)."""
    return _kept_indexable(word) if len(word) <= MAX_KEPT_WORD else _analysed(word)


@lru_cache(maxsize=20_000)
def _kept_indexable(word: str) -> bool:
    return _analysed(word)


def _analysed(word: str) -> bool:
    return any(True for _ in TEXT_ANALYZER(word))


def parse_text(searcher: Searcher, text: str, view: IndexView | None = None) -> Query | None:
    """The Whoosh query for the user's words (every word must match some field). With the
    view, a phrase of words common together is bounded (PHRASE_CANDIDATES) and a word no
    document has may match its parts (_joined_word)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    fields = (*TEXT_FIELDS, *([ENGLISH_FIELD] if ENGLISH_FIELD in searcher.schema else []))
    words = cleaned.split()
    if view is not None and _plain(cleaned, words):
        parsed = _and_of([_rewritten_word(searcher, view, fields, word) for word in words])
    else:
        parsed = _rewritten(searcher, view, _parsed(fields, searcher.schema, cleaned))
    return None if parsed is NullQuery else parsed


def _plain(cleaned: str, words: list[str]) -> bool:
    """Words only: no quotes, no operators."""
    return '"' not in cleaned and not any(word in _OPERATORS for word in words)


def _rewritten(searcher: Searcher, view: IndexView | None, parsed: Query) -> Query:
    """The parsed query as it is searched: phrases only where positions are kept, and
    with the view, joined words split and common phrases bounded; normalized."""
    parsed = parsed.accept(_no_phrase_without_positions)
    if view is not None:
        parsed = parsed.accept(lambda query: _joined_word(searcher, view, query))
        parsed = parsed.accept(lambda query: _bounded_phrase(searcher, view, query))
    return parsed.normalize()


# Per index view at most this many rewritten word queries, and as many spelling
# corrections (both are worked out from the view's term sets).
VIEW_WORD_QUERIES = 4096


def _kept_in_view(view: IndexView, name: str, word: str, key, make):
    """make()'s answer for the word's key, kept in the view under `name` (VIEW_WORD_QUERIES
    at most, and not for a word longer than MAX_KEPT_WORD)."""
    kept = view.arrays.get(("kept words", name))
    if kept is None:
        kept = view.arrays.setdefault(("kept words", name), {})
    found = kept.get(key)
    if found is None:
        found = make()
        if len(word) > MAX_KEPT_WORD:  # as _word_query: a long word is worked out each time
            return found
        if len(kept) >= VIEW_WORD_QUERIES:
            kept.clear()
        kept[key] = found
    return found


def _rewritten_word(searcher: Searcher, view: IndexView, fields: tuple[str, ...],
                    word: str) -> Query:
    """One plain word's query as _rewritten makes it, kept in the view: the rewriting
    passes and Whoosh's normalize were a third of a warm text search (bench/README.md,
    "Against tantivy"). Each pass rewrites a word's own query without looking at the
    other words, so rewriting each word is rewriting their AND."""
    return _kept_in_view(view, "rewritten", word, (fields, word), lambda: _rewritten(
        searcher, view, _word_query(fields, searcher.schema, word)))


def _and_of(queries: list[Query]) -> Query:
    """And(queries).normalize() for queries normalized already, without normalizing
    them again: nested ANDs flattened, repeats and null queries dropped, one query
    alone returned as it is. (Ranges and Every, which Whoosh's normalize also merges,
    never come from the users' query language; they go the whole way.)"""
    flat: list[Query] = []
    for query in queries:
        if type(query) is And and query.boost == 1.0:
            flat += query.subqueries
        elif isinstance(query, And):
            return And(queries).normalize()
        else:
            flat.append(query)
    if any(isinstance(query, Every | TermRange | NumericRange) for query in flat):
        return And(queries).normalize()
    unique = [query for query in dict.fromkeys(flat) if query is not NullQuery]
    if not unique:
        return NullQuery
    if len(unique) == 1:
        return unique[0]
    return And(unique)


def _parsed(fields: tuple[str, ...], schema, cleaned: str) -> Query:
    """The parser's query for the cleaned text. Plain words (no quotes, no operators) are
    an AND of each word's own query, which is what the parser makes of them (tested on
    random word lists), and a word's query is kept (WORD_QUERIES): parsing is a third of
    a warm text search, and the words of queries repeat far more than whole texts do."""
    words = cleaned.split()
    if '"' in cleaned or any(word in _OPERATORS for word in words):
        try:
            return user_parser(list(fields), schema).parse(cleaned)
        except Exception:  # noqa: BLE001 (Whoosh's parser fails on e.g. "NOT OR OR")
            words = [word for word in _PARTS.findall(cleaned) if word not in _OPERATORS]
            if not words:
                return NullQuery
    return And([_word_query(fields, schema, word) for word in words])


_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}  # Whoosh's OperatorsPlugin
WORD_QUERIES = 20_000
_WORDS: OrderedDict[tuple, Query] = OrderedDict()
_WORDS_LOCK = threading.Lock()


def _word_query(fields: tuple[str, ...], schema, word: str) -> Query:
    # Keyed by the field names and the word: the fields' analysis is the code's
    # (search_index/schema.py), the same for every index built by it.
    key = (fields, word)
    with _WORDS_LOCK:
        found = _WORDS.get(key)
        if found is not None:
            _WORDS.move_to_end(key)
            return found
    found = _built_word_query(fields, schema, word)
    if len(word) > MAX_KEPT_WORD:  # kept, it would hold about 2 KB
        return found
    with _WORDS_LOCK:
        _WORDS[key] = found
        while len(_WORDS) > WORD_QUERIES:
            _WORDS.popitem(last=False)
    return found


def _built_word_query(fields: tuple[str, ...], schema, word: str) -> Query:
    """What the users' parser makes of one plain word, built from each field's analysis
    without it: per field no query (no token), a Term (one) or an AND of Terms (several:
    the fields' multitoken_query "default" and the parser's AND group), the fields OR-ed,
    normalized. Setting up and running the parser took 0.1 ms a word, a third of a first
    search of two new words (tested against the parser on random words). A field that
    parses queries itself, or joins tokens otherwise, goes through the parser."""
    parts: list[Query] = []
    for name in fields:
        field = schema[name]
        if field.self_parsing() or field.multitoken_query.lower() not in ("default", "and"):
            return user_parser(list(fields), schema).parse(word)
        texts = list(field.process_text(word, mode="query", tokenize=True, removestops=True))
        if len(texts) == 1:
            parts.append(Term(name, texts[0]))
        elif texts:
            parts.append(And([Term(name, text) for text in texts]))
    return Or(parts).normalize()


# A word no document has may be two words the documents write apart: "reïntegratie" (the
# spelling before 2005) where they write "re-integratie", "werkgeversservicepunt" where
# they write "werkgevers servicepunt". Such a word of the text field matches the documents
# with both parts; the split with the most even parts that both occur wins.
JOINED_MIN, JOINED_MAX = 8, MAX_KEPT_WORD
_FIRST_PART, _SECOND_PART = 2, 4


def _joined_word(searcher: Searcher, view: IndexView, query: Query) -> Query:
    # Whether the word occurs: the view's kept term set, which the search reads next
    # anyway (no probe of the term file per segment on every query).
    if not (isinstance(query, Term) and query.fieldname == TEXT_FIELDS[0]
            and isinstance(query.text, str) and JOINED_MIN <= len(query.text) <= JOINED_MAX
            and query.text.isalpha()
            and not view.term_mask(searcher, query.fieldname, query.text)):
        return query
    field, word = query.fieldname, query.text  # the whole word's stem: its end is stemmed
    splits = [(word[:at], word[at:]) for at in range(_FIRST_PART, len(word) - _SECOND_PART + 1)]
    for first, second in sorted(splits, key=lambda pair: abs(len(pair[0]) - len(pair[1]))):
        # The first part as a word of its own is stemmed too (werkgevers -> werkgever).
        terms = [_known(searcher, field, (dutch_term(first), first)),
                 _known(searcher, field, (second, dutch_term(second)))]
        if all(terms):
            return And([Term(field, term) for term in terms])
    return query


def _known(searcher: Searcher, field: str, candidates: tuple[str, ...]) -> str | None:
    return next((term for term in candidates if searcher.doc_frequency(field, term)), None)


def _bounded_phrase(searcher: Searcher, view: IndexView, query: Query) -> Query:
    if not isinstance(query, Phrase):
        return query
    terms = [Term(query.fieldname, word) for word in query.words]
    together = view.live
    for term in terms:
        together &= view.term_mask(searcher, term.fieldname, term.text)
    return And(terms) if together.bit_count() > PHRASE_CANDIDATES else query


def _no_phrase_without_positions(query: Query) -> Query:
    # A quoted phrase also lands on title_prefix, which keeps no positions (Whoosh would
    # raise): there it matches nothing, the phrase is still looked for in the text.
    if isinstance(query, Phrase) and query.fieldname != "text":
        return NullQuery
    return query


def match_mask(searcher: Searcher, view: IndexView, query: Query) -> int:
    """The documents matching a query, unscored: the usual word queries (AND of ORs of
    terms) from cached per-term sets; anything else (phrases) through Whoosh."""
    if isinstance(query, Term):
        return view.term_mask(searcher, query.fieldname, query.text)
    if type(query) is And:
        mask = view.live
        for sub in query.subqueries:
            mask &= match_mask(searcher, view, sub)
            if not mask:
                break
        return mask
    if type(query) is Or and not query.minmatch:
        mask = 0
        for sub in query.subqueries:
            mask |= match_mask(searcher, view, sub)
        return mask
    return bitsets.from_ids(searcher.docs_for_query(query), view.size)


def text_mask(searcher: Searcher, view: IndexView, query: Query | None) -> int:
    """The documents matching the text (all live documents when there is no text)."""
    if query is None:
        return view.live
    return match_mask(searcher, view, query) & view.live


def filter_masks(view: IndexView, filters: dict[str, list[str]]) -> dict[str, int]:
    """One document set per filtered facet: the union (OR) of its chosen values."""
    masks: dict[str, int] = {}
    for facet, chosen in filters.items():
        if facet not in view.values or not chosen:
            continue
        mask = 0
        for value in chosen:
            mask |= view.values[facet].get(value, 0)
        masks[facet] = mask
    return masks


def _and(base: int, masks: dict[str, int], skip: str | None = None) -> int:
    for facet, mask in masks.items():
        if facet != skip:
            base &= mask
    return base


def facet_counts(
    view: IndexView, matched: int, masks: dict[str, int], filters: dict[str, list[str]]
) -> dict[str, list[FacetValue]]:
    """Per value with results, and per chosen value: results if it were added, with every
    other facet's filter applied. A value no result has is left out unless it is chosen
    (the pages and the API show no such value; building them was a third of the counts'
    time on a text search, whose few results have few of the ~200 values).

    Counted with numpy over a matrix of every value's documents (arrays.facet_matrix):
    once against the results, and again for each filtered facet without its own filter;
    a Python AND and bit count per value cost four times as much (bench/README.md)."""
    rows, names, matrix = arrays.facet_matrix(view)
    final = _and(matched, masks)
    # No results (a third of filtered text searches): no value has any, and only the
    # filtered facets' own values are counted below.
    counts = [0] * len(names)
    # A facet without a filter lists the values with results (a text search's results
    # have a few dozen of the ~200 values), in name order: the values with results are
    # walked once, ascending, each to its facet's list (a loop per facet with a search in
    # them was half of the counts' time on a filtered text search).
    found: dict[str, list[FacetValue]] = {facet: [] for facet in view.facets}
    if final:
        all_counts = arrays.counts_in(matrix, final, view.size)
        counts = all_counts.tolist()
        facet_of = arrays.facet_of_rows(view)
        for i in np.flatnonzero(all_counts).tolist():
            found[facet_of[i]].append(FacetValue(names[i], counts[i], False))
    for facet in view.facets:
        if facet not in masks and not filters.get(facet):
            continue
        chosen = set(filters.get(facet, ()))
        part = rows[facet]
        own = counts[part]
        if facet in masks:
            own = _own_counts(view, facet, _and(matched, masks, skip=facet))
        if not chosen:
            found[facet] = [FacetValue(name, count, False)
                            for name, count in zip(names[part], own, strict=True) if count]
            continue
        values = [FacetValue(name, count, name in chosen)
                  for name, count in zip(names[part], own, strict=True)
                  if count or name in chosen]
        gone = chosen.difference(names[part])
        if gone:  # chosen values stay visible even when no document has them any more
            values = sorted(values + [FacetValue(name, 0, True) for name in gone],
                            key=lambda value: value.value)
        found[facet] = values
    return found


# A filtered facet's own values (two to a dozen) are counted one by one with Python's AND
# and bit count while that reads at most OWN_COUNT_WORDS 64-bit words in all; below it,
# numpy's dozen array operations a call cost more (at 10k documents: 3.4–4.9 against
# 8.6–12.2 µs per filtered facet).
OWN_COUNT_WORDS = 4096


def _own_counts(view: IndexView, facet: str, docs: int) -> list[int]:
    """How many of `docs` each value of the facet has, in facet_matrix's row order."""
    rows, names, matrix = arrays.facet_matrix(view)
    part = rows[facet]
    if not docs:
        return [0] * (part.stop - part.start)
    if (part.stop - part.start) * ((view.size + 63) >> 6) <= OWN_COUNT_WORDS:
        values = view.values[facet]
        return [(values[name] & docs).bit_count() for name in names[part]]
    return arrays.counts_in(matrix, docs, view.size, part).tolist()


# A page in a sort order is found by walking the order while that takes at most this
# many rows (a dense set: its first page lies in the first few dozen), else by selecting
# the set's smallest positions with numpy, whose cost is bounded by the index's size.
SCAN_ROWS = 1024


def ordered_page(view: IndexView, mask: int, sort: str, start: int, stop: int) -> list[int]:
    """Document numbers of `mask` in a precomputed sort order, positions start..stop."""
    total = mask.bit_count()
    order_name = "level" if sort == "relevance" else sort
    if not total or start >= total:
        return []
    page = None
    if stop * view.size <= SCAN_ROWS * total:  # expected rows walked: stop * size / total
        page = _walked_page(view.orders[order_name], bitsets.to_bytes(mask, view.size),
                            start, stop)
    if page is None:
        page = _selected_page(arrays.sort_positions(view, order_name),
                              bitsets.to_id_array(mask, view.size), start, stop)
    return page


def _walked_page(order: list[int], buffer: bytes, start: int, stop: int) -> list[int] | None:
    """The page found by walking the order, or None when it lies beyond SCAN_ROWS rows (a
    set gathered at the order's end, say: a filter on the level sorted by level)."""
    page: list[int] = []
    seen = 0
    for doc in islice(order, SCAN_ROWS):
        if bitsets.contains(buffer, doc):
            if seen >= start:
                page.append(doc)
                if len(page) >= stop - start:
                    return page
            seen += 1
    return page if len(order) <= SCAN_ROWS else None


def _selected_page(positions: np.ndarray, docs: np.ndarray, start: int, stop: int
                   ) -> list[int]:
    """The documents at ranks start..stop of `docs` by their positions (all distinct)."""
    ranks = positions[docs]
    # The `stop` smallest ranks (unordered), then only those sorted.
    chosen = (np.argpartition(ranks, stop - 1)[:stop] if stop < len(docs)
              else np.arange(len(docs)))
    chosen = chosen[np.argsort(ranks[chosen])]
    return docs[chosen[start:stop]].tolist()


def _scored_page(searcher, view, query, final, filtered, start, stop):
    ranked = ranking.top_scored(searcher, view, query, final, stop)
    if ranked is None:  # not a plain word query: let Whoosh score it
        docs = set(bitsets.to_ids(final, view.size)) if filtered else None
        results = searcher.search(query, filter=docs, limit=stop)
        ranked = [(hit.docnum, hit.score) for hit in results]
    return [(view.ids[doc], score) for doc, score in ranked[start:stop]]


def _sorted_page(view, final, sort, start, stop):
    return [(view.ids[d], 0.0) for d in ordered_page(view, final, sort, start, stop)]


def relaxations(view, matched, masks, filters) -> list[Relaxation]:
    """For an empty result: what each chosen value's removal would give, best first."""
    options = []
    for facet, chosen in filters.items():
        for value in chosen:
            rest = [v for v in chosen if v != value]
            others = dict(masks)
            others.pop(facet, None)
            if rest:
                others[facet] = filter_masks(view, {facet: rest})[facet]
            count = _and(matched, others).bit_count()
            if count:
                options.append(Relaxation(facet, value, count))
    return sorted(options, key=lambda r: -r.count)


def suggest(searcher: Searcher, view: IndexView, text: str) -> str | None:
    """The text with each word the index does not know corrected, else None.

    Only unknown words are corrected: a known word that is rare in titles is not a typo.
    """
    parts = _PARTS.findall(clean_text(text))
    corrected = [_kept_in_view(view, "corrected", part, part,
                               lambda part=part: _corrected(searcher, view, part))
                 for part in parts]
    return " ".join(corrected) if corrected != parts else None


def _corrected(searcher: Searcher, view: IndexView, part: str) -> str:
    if part.startswith('"') or part in _OPERATORS:
        return part
    # Known: some document holds it (deleted ones too, as a document frequency counts
    # them); the term sets are kept, and the query read these words' sets already.
    if all(view.term_mask(searcher, "text", token.text) for token in TEXT_ANALYZER(part)):
        return part
    words = [token.text for token in SPELLING_ANALYZER(part)]
    # A word of one or two letters is no typo to correct, and its edits reach a large
    # part of the term list (one "w" cost 0.45 s at 100k records).
    if len(words) != 1 or len(words[0]) < MIN_CORRECTED_LENGTH:
        return part
    # Two edits turn a word of up to seven letters into another word altogether ("debt"
    # → "doet", "slecht" → "echt"); a typo keeps the first letter, and a different first
    # letter made "nt2" and "wsw" other words too.
    maxdist = 1 if len(words[0]) < TWO_EDITS_FROM else 2
    corrector = spelling.corrector(searcher, view)
    found = corrector.suggest(words[0], limit=1, maxdist=maxdist, prefix=1)
    return found[0] if found else part


def _words(query: Query | None) -> tuple[list[Query], list[Query]]:
    """The parts a full match needs (one per word or phrase), and the NOT parts."""
    if query is None:
        return [], []
    parts = list(query.subqueries) if type(query) is And else [query]
    return ([p for p in parts if not isinstance(p, Not)],
            [p for p in parts if isinstance(p, Not)])


def word_masks(searcher: Searcher, view: IndexView, words: list[Query], allowed: int) -> list[int]:
    """Per word, the records among `allowed` that hold it."""
    return [match_mask(searcher, view, word) & allowed for word in words]


def partial_hits(
    searcher: Searcher, view: IndexView, words: list[Query], masks: list[int], limit: int
) -> list[PartialHit]:
    """The records of `masks` (one per word) holding most of the words, then by
    relevance."""
    candidates = 0
    for mask in masks:
        candidates |= mask
    if not candidates:
        return []
    either = Or(words)
    ranked = ranking.top_scored(searcher, view, either, candidates, PARTIAL_POOL)
    if ranked is None:
        docs = set(bitsets.to_ids(candidates, view.size))
        ranked = [(h.docnum, h.score) for h in searcher.search(either, filter=docs,
                                                                 limit=PARTIAL_POOL)]
    if not ranked:
        return []
    docs = np.fromiter((doc for doc, _ in ranked), dtype=np.int64, count=len(ranked))
    matched = np.zeros(len(ranked), dtype=np.int64)
    for mask in masks:  # each word's bit of each document, for all of them at once
        matched += arrays.of_mask(mask, view.size)[docs]
    best = np.argsort(-matched, kind="stable")[:limit]  # stable: relevance within a count
    return [PartialHit(view.ids[ranked[i][0]], ranked[i][1], int(matched[i]))
            for i in best.tolist()]


def word_drops(text: str, masks: list[int], allowed: int) -> list[WordDrop]:
    """For each word of the text: the results without it (only when each word of the
    cleaned text became one part of the query; `masks` has one set per word)."""
    parts = _PARTS.findall(clean_text(text))
    if len(parts) != len(masks) or len(masks) < 2:
        return []
    drops = []
    for index, part in enumerate(parts):
        rest = allowed
        for other, mask in enumerate(masks):
            if other != index:
                rest &= mask
        if rest:
            remaining = " ".join(p for n, p in enumerate(parts) if n != index)
            drops.append(WordDrop(part, remaining, rest.bit_count()))
    return sorted(drops, key=lambda drop: -drop.count)


def run_search(searcher: Searcher, view: IndexView, request: SearchRequest) -> SearchResult:
    """Answer one faceted search. Raises nothing for unknown facet values (they count 0)."""
    query = parse_text(searcher, request.text, view)
    # Text made only of stop words or signs finds nothing, not everything.
    matched = 0 if query is None and request.text.strip() else text_mask(searcher, view, query)
    filters = {f: v for f, v in request.filters.items() if f in view.facets and v}
    masks = filter_masks(view, filters)
    final = _and(matched, masks)
    total = final.bit_count()
    start = (request.page - 1) * request.per_page
    stop = start + request.per_page
    if query is not None and request.sort == "relevance":
        hits = _scored_page(searcher, view, query, final, bool(masks), start, stop)
    else:
        hits = _sorted_page(view, final, request.sort, start, stop)
    result = SearchResult(total, hits, facet_counts(view, matched, masks, filters), query)
    words, excluded = _words(query)
    result.words = len(words)
    if query is not None and total < FEW_RESULTS:
        if request.suggest:
            result.suggestion = suggest(searcher, view, request.text)
        if request.alternatives and len(words) > 1 and request.page == 1:
            allowed = _and(view.live, masks)
            for part in excluded:
                allowed &= match_mask(searcher, view, part)
            masks_of_words = word_masks(searcher, view, words, allowed)
            unmatched = [mask & ~final for mask in masks_of_words]
            result.partial = partial_hits(searcher, view, words, unmatched, PARTIAL_LIMIT)
            result.word_drops = word_drops(request.text, masks_of_words, allowed)
    if total == 0 and filters:
        result.relaxations = relaxations(view, matched, masks, filters)
    return result
