"""Spelling suggestions ("Bedoelde u …?") from the index's words held in memory.

Whoosh's corrector walks a Levenshtein automaton over the term file of one segment,
each step a binary search on disk (a seek and a read per probe): a sixth of a search
with filters and few results at 10k records. Over several segments (a 100k rebuild
writes six) it does not walk at all: Whoosh's MultiReader measures the distance to
every word of the field. Each segment's words (16,000 at 10k synthetic records) are
kept with the segment's data as a sorted list, and the automaton walks them with
bisect; the suggestion is the one Whoosh's corrector gives on a single segment: the
most frequent word within the distance.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import partial

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from search_index.view import IndexView

SPELLING_FIELD = "spelling"


class WordListCorrector(Corrector):
    """whoosh.spelling.ReaderCorrector's suggestions, from sorted lists of words (one per
    segment, as Whoosh walks each segment's term file)."""

    def __init__(self, word_lists: list[list[str]], frequency):
        self._word_lists = word_lists
        self._frequency = frequency

    def _suggestions(self, text, maxdist, prefix):
        dfa = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        found: set[str] = set()
        for words in self._word_lists:
            found.update(find_all_matches(dfa, partial(_first_from, words)))
        for word in found:
            # ReaderCorrector's score: within the distance, the more frequent the better.
            yield 0 - (maxdist + 1.0 / (self._frequency(word) or 1) * 0.5), word


def _first_from(words: list[str], word: str) -> str | None:
    """The first word of the sorted list at or after `word` (the automaton's lookup)."""
    at = bisect_left(words, word)
    return words[at] if at < len(words) else None


def corrector(searcher: Searcher, view: IndexView) -> Corrector:
    """The spelling corrector of this index generation: each segment's words are read
    once per segment (search_index/segments.py), so a change re-reads only its own."""
    reader = searcher.reader()
    field = searcher.schema[SPELLING_FIELD]
    word_lists = [
        data.spelling_words(lambda leaf=leaf: sorted(
            field.from_bytes(term) for term in leaf.lexicon(SPELLING_FIELD)))
        for (leaf, _offset), data in zip(reader.leaf_readers(), view.segments, strict=True)
    ]
    return WordListCorrector(word_lists, lambda word: reader.frequency(SPELLING_FIELD, word))
