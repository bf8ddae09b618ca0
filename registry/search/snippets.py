"""A result's summary with the query's words marked: the words are matched as the index
matches them (the Dutch analyzer's stems), the text around the first match is shown
(at most MAX_CHARS, starting SURROUND characters before it, on word boundaries), and
everything else is escaped.

The analysis of a summary does not depend on the query, so it is kept (the last
CACHE_SIZE summaries, per process): on a search page it was a third of the time, and
popular results come back on many pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from markupsafe import Markup, escape

from search_index.analysis import word_terms

MAX_CHARS = 220
SURROUND = 60
CACHE_SIZE = 4096
_cache: OrderedDict[str, tuple[tuple[str, int, int], ...]] = OrderedDict()
_lock = threading.Lock()


def tokens(summary: str) -> tuple[tuple[str, int, int], ...]:
    """(stem, start, end) of every word of the summary, as the index analyses it."""
    with _lock:
        found = _cache.get(summary)
        if found is not None:
            _cache.move_to_end(summary)
            return found
    found = word_terms(summary)
    with _lock:
        _cache[summary] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def marked(summary: str, terms: set[str]) -> Markup | None:
    """The summary around its first matching word, matches in <mark>; None without a
    match."""
    matches = [(start, end) for stem, start, end in tokens(summary) if stem in terms]
    if not matches:
        return None
    begin = _word_start(summary, max(0, matches[0][0] - SURROUND), matches[0][0])
    stop = _word_end(summary, min(len(summary), begin + MAX_CHARS), matches[0][1])
    parts, position = [], begin
    for start, end in matches:
        if end > stop:
            break
        parts += [escape(summary[position:start]), Markup("<mark>"),
                  escape(summary[start:end]), Markup("</mark>")]
        position = end
    parts.append(escape(summary[position:stop]))
    text = Markup("").join(parts)
    prefix = Markup("… ") if begin > 0 else Markup("")
    suffix = Markup(" …") if stop < len(summary) else Markup("")
    return prefix + text + suffix


def _word_start(text: str, at: int, first_match: int) -> int:
    # Begin after a space, so no word is cut; never after the first match.
    if at == 0:
        return 0
    space = text.find(" ", at, first_match)
    return space + 1 if space != -1 else at


def _word_end(text: str, at: int, first_match_end: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", first_match_end, at)
    return space if space != -1 else at
