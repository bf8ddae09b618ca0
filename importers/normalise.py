"""Normalise what the formats disagree on: DOI, PMID, author names, year, title.

The dedup keys kept in indexed columns on studies (title_key, first_author_key) and
the text functions they need are the registry's (registry/text_keys.py), re-exported
here for the formats; importers.dedup says how they are matched.
"""

from __future__ import annotations

import re
from decimal import Decimal
from math import inf

from registry.text_keys import (  # noqa: F401 (part of this module's interface)
    DOI_PATTERN,
    PARTICLES,
    clean_text,
    fold,
    normalise_doi,
    split_particle,
    surname_key,
    title_key,
)

# A PubMed id is at most nine digits, written alone, after "PMID", or before a "[pmid]"
# tag; a PMC number ("PMC1234567") is another identifier, not a PMID.
_PMID = re.compile(r"(?:pmid\s*[:-]?\s*)?(\d{1,9})(?:\s*\[[a-z]+\])?", re.IGNORECASE)
# A year standing apart from other digits: "2019/05/01", "mei 2019", not "20015".
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")


def normalise_pmid(value: str | None) -> str | None:
    """The digits of a PubMed id ("PMID: 123" → "123"); None when the text is not one."""
    text = clean_text(value)
    if not text:
        return None
    match = _PMID.fullmatch(text)
    return match.group(1).lstrip("0") or None if match else None


def normalise_year(value: object) -> str | None:
    """The first plausible four-digit year in a date ("2019/05/01" → "2019"), else the text.

    Returning unrecognised text lets validation report it in the record's error. A number
    (JSON) must be a whole one: -2019 and 2019.7 are reported, not read as 2019.
    """
    if value is None:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        whole = value == int(value) if value == value and abs(value) != inf else False
        return str(int(value)) if whole and value > 0 else str(value)
    text = clean_text(str(value))
    if not text:
        return None
    match = _YEAR.search(text)
    return match.group(1) if match else text


def split_trailing_particle(given: str) -> tuple[str | None, str]:
    """"J. van der" (the Dutch citation order "Berg, J. van der") → ("van der", "J.")."""
    lowered = given.lower()
    for particle in PARTICLES:
        if lowered.endswith(" " + particle) and len(given) > len(particle) + 1:
            return particle, given[: -len(particle) - 1].strip()
    return None, given


# Longer than family name, particle and given names may be together (schemas/studies.py).
MAX_NAME_CHARS = 500


def parse_author(name: str) -> dict[str, str | None] | None:
    """One author from "Family, Given", "Berg, J. van der" or "Given Family"; None if empty.
    A name longer than any valid one is not split (finding the particle takes time
    quadratic in its words: 2 s for an 80,000-character AU line): validation reports it
    as too long."""
    text = clean_text(name)
    if not text:
        return None
    if len(text) > MAX_NAME_CHARS:
        return {"family_name": text, "particle": None, "given_names": None}
    if "," in text:
        family, _, given = (part.strip() for part in text.partition(","))
        return make_author(family, given)
    parts = text.split(" ")
    if len(parts) == 1:
        return make_author(text, None)
    for index in range(1, len(parts)):
        # The family name starts at the first particle, or else is the last word.
        if split_particle(" ".join(parts[index:]))[0]:
            return make_author(" ".join(parts[index:]), " ".join(parts[:index]))
    return make_author(parts[-1], " ".join(parts[:-1]))


def make_author(family: str, given: str | None) -> dict[str, str | None] | None:
    """An author dict in the study schema's shape, with the particle split off."""
    family = clean_text(family) or ""
    given = clean_text(given)
    particle, family = split_particle(family)
    if given and not particle:
        particle, given = split_trailing_particle(given)
    if not family:
        return None
    return {"family_name": family, "particle": particle, "given_names": given or None}


def normalise_record(data: dict) -> dict:
    """Clean every text field of a record in the study schema's load shape (a new dict)."""
    result = dict(data)
    for key, value in data.items():
        if isinstance(value, str):
            result[key] = clean_text(value)
    if "doi" in data:
        result["doi"] = normalise_doi(data["doi"])
    if "pmid" in data:
        result["pmid"] = normalise_pmid(data["pmid"])
    if "year" in data:
        result["year"] = normalise_year(data["year"])
    if "language" in data:
        result["language"] = normalise_language(data["language"])
    if isinstance(data.get("keywords"), list):
        result["keywords"] = _unique(clean_text(k) for k in data["keywords"])
    return result


def _unique(values) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        if value and value.lower() not in seen:
            seen.add(value.lower())
            result.append(value)
    return result


# One publication-type vocabulary for every format, so merged records agree.
PUBLICATION_TYPES = {
    "jour": "journal_article", "ejour": "journal_article", "mgzn": "journal_article",
    "inpr": "journal_article", "article": "journal_article", "journal article": "journal_article",
    "rprt": "report", "report": "report", "techreport": "report", "govdoc": "report",
    "book": "book", "ebook": "book", "edbook": "book", "booklet": "book",
    "chap": "book_chapter", "echap": "book_chapter", "inbook": "book_chapter",
    "incollection": "book_chapter", "thes": "thesis", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "conf": "conference_paper",
    "cpaper": "conference_paper", "inproceedings": "conference_paper",
    "conference": "conference_paper", "review": "review", "systematic review": "review",
    "meta-analysis": "review", "randomized controlled trial": "journal_article",
    "elec": "web_page", "online": "web_page",
    # Table exports (Scopus, Embase, Zotero, EndNote, Web of Science's PT tag).
    "conference paper": "conference_paper", "book chapter": "book_chapter",
    "booksection": "book_chapter", "book section": "book_chapter",
    "journalarticle": "journal_article",
    "j": "journal_article", "b": "book", "s": "book", "p": "conference_paper",
}  # fmt: skip
# The shared types themselves, as the project's own template and JSON give them.
PUBLICATION_TYPES.update({kind: kind for kind in set(PUBLICATION_TYPES.values())})

# A keyword of this form links the record to an intervention (README, Import).
LINK_PREFIXES = ("interventie:", "intervention:")


def publication_type(value: str | None) -> str | None:
    """The shared publication type for a format's own code ("JOUR", "article"); else 'other'."""
    text = clean_text(value)
    if not text:
        return None
    return PUBLICATION_TYPES.get(text.lower(), "other")


def split_link_keywords(keywords: list[str]) -> tuple[list[str], list[str]]:
    """Separate "interventie:<slug>" keywords from the rest: (keywords, slugs)."""
    kept, slugs = [], []
    for keyword in keywords:
        lowered = keyword.strip().lower()
        prefix = next((p for p in LINK_PREFIXES if lowered.startswith(p)), None)
        if prefix:
            slugs.append(lowered[len(prefix) :].strip())
        else:
            kept.append(keyword)
    return kept, [s for s in slugs if s]


LANGUAGES = {
    "en": "en", "eng": "en", "english": "en", "engels": "en",
    "nl": "nl", "nld": "nl", "dut": "nl", "dutch": "nl", "nederlands": "nl",
    "de": "de", "ger": "de", "deu": "de", "german": "de", "duits": "de",
    "fr": "fr", "fre": "fr", "fra": "fr", "french": "fr", "frans": "fr",
}  # fmt: skip


def normalise_language(value: str | None) -> str | None:
    """An ISO 639-1 code for the usual spellings ("English", "eng" → "en"); else as given."""
    text = clean_text(value)
    if not text:
        return None
    return LANGUAGES.get(text.lower(), text.lower()[:10])
