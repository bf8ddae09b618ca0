"""A client's goal, as a klantmanager writes it, widened with near-words before it is
searched: geldzorgen also finds schulden, een baan also betaald werk. The groups are
data (goal_synonyms.json, versioned), listed in README.md, "Search"."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

SYNONYMS = Path(__file__).with_name("goal_synonyms.json")
MAX_GOAL_CHARS = 500


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The word groups of goal_synonyms.json, lower case."""
    data = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    return tuple(tuple(word.lower() for word in group["words"]) for group in data["groups"])


@lru_cache(maxsize=4096)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern:
    """Any of the phrases as a whole word or words (compiled once per process: building
    and looking up each pattern per search was most of the widening's time)."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, phrases))})(?!\w)")


def _contains(text: str, phrase: str) -> bool:
    return _pattern((phrase,)).search(text) is not None


def _contains_any(text: str, phrases: tuple[str, ...]) -> bool:
    return bool(phrases) and _pattern(phrases).search(text) is not None


def expand_goal(goal: str) -> str:
    """The goal followed by the near-words of every group it names, each once: the first
    of each group, then the second of each, and so on. The profile search reads only the
    first words of a goal (search_index/profile.py, MAX_GOAL_WORDS), so a group of many
    near-words would otherwise leave no room for the next group the goal names."""
    text = goal[:MAX_GOAL_CHARS].lower()
    named: list[list[str]] = []
    seen: set[str] = set()
    for group in synonym_groups():
        if _contains_any(text, group):
            words = [word for word in group if not _contains(text, word) and word not in seen]
            seen.update(words)
            named.append(words)
    extra = [word for turn in zip_longest(*named) for word in turn if word is not None]
    return " ".join([goal[:MAX_GOAL_CHARS], *extra]) if extra else goal[:MAX_GOAL_CHARS]


@lru_cache(maxsize=1)
def _domain_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    return tuple((domain, tuple(w.lower() for w in words))
                 for domain, words in data.get("outcome_domains", {}).items())


def goal_domains(goal: str, widened: str | None = None) -> tuple[str, ...]:
    """The outcome domains (codes) a goal is about, read from its words after widening
    (goal_synonyms.json, "outcome_domains"), in the file's order; `widened`: the goal as
    expand_goal gave it already."""
    text = (widened if widened is not None else expand_goal(goal)).lower()
    return tuple(domain for domain, words in _domain_words() if _contains_any(text, words))
