"""Spelling suggestions ("Bedoelde u …?") from the index's words held in memory.

Whoosh's corrector walks a Levenshtein automaton over the term file of one segment,
each step a binary search on disk (a seek and a read per probe): a sixth of a search
with filters and few results at 10k records. Over several segments (a 100k rebuild
writes six) it does not walk at all: Whoosh's MultiReader measures the distance to
every word of the field. The words (16,000 at 10k synthetic records, 19,000 at 100k)
are kept per index view as a sorted list, and the automaton walks it with bisect;
the suggestion is the one Whoosh's corrector gives on a single segment: the most
frequent word within the distance.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from search_index import arrays
from search_index.view import IndexView

SPELLING_FIELD = "spelling"


class WordListCorrector(Corrector):
    """whoosh.spelling.ReaderCorrector's suggestions, from a sorted list of words."""

    def __init__(self, words: list[str], frequency):
        self._words = words
        self._frequency = frequency

    def _first_from(self, word: str) -> str | None:
        at = bisect_left(self._words, word)
        return self._words[at] if at < len(self._words) else None

    def _suggestions(self, text, maxdist, prefix):
        dfa = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        for word in find_all_matches(dfa, self._first_from):
            # ReaderCorrector's score: within the distance, the more frequent the better.
            yield 0 - (maxdist + 1.0 / (self._frequency(word) or 1) * 0.5), word


def corrector(searcher: Searcher, view: IndexView) -> Corrector:
    """The spelling corrector of this index generation (its words kept on the view)."""
    reader = searcher.reader()
    field = searcher.schema[SPELLING_FIELD]
    words = arrays.kept(view, ("spelling words",), lambda: sorted(
        {field.from_bytes(term) for term in reader.lexicon(SPELLING_FIELD)}))
    return WordListCorrector(words, lambda word: reader.frequency(SPELLING_FIELD, word))
