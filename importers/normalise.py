"""Normalise what the formats disagree on: DOI, PMID, author names, year, title.

Also computes the dedup keys kept in indexed columns on studies (title_key,
first_author_key): see importers.dedup for how they are matched.
"""

from __future__ import annotations

import html
import re
import unicodedata

DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_RESOLVER = re.compile(r"^(?:https?://)?(?:dx\.)?(?:www\.)?doi\.org/|^doi:\s*", re.IGNORECASE)
_PMID = re.compile(r"\d{1,12}")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Letters NFKD does not split into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                                 "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "œ": "oe", "Œ": "OE"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Tussenvoegsels and their relatives in other languages, longest first so that
# "van der" wins over "van". Kept apart from the family name (StudyAuthor.particle).
PARTICLES = tuple(
    sorted(
        (
            "van der", "van den", "van de", "van het", "van 't", "in 't", "in het", "op de",
            "uit den", "uit de", "von der", "von dem", "de la", "de las", "de los", "van",
            "von", "de", "der", "den", "het", "'t", "ten", "ter", "te", "da", "di", "del",
            "della", "dos", "das", "du", "le", "la", "zu", "op",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip


def clean_text(value: str | None) -> str | None:
    """Unescape HTML entities, drop control characters, collapse whitespace; None if empty.

    Markup is kept as text (it is escaped on display, never interpreted).
    """
    if value is None:
        return None
    text = _CONTROL.sub("", html.unescape(str(value)))
    text = _SPACE.sub(" ", text).strip()
    return text or None


def normalise_doi(value: str | None) -> str | None:
    """Lower case, without resolver prefix (https://doi.org/, doi:); None when no DOI."""
    text = clean_text(value)
    if not text:
        return None
    text = _RESOLVER.sub("", text).strip()
    match = DOI_PATTERN.search(text)
    return match.group(0).lower().rstrip(".,;") if match else None


def normalise_pmid(value: str | None) -> str | None:
    """The digits of a PubMed id ("PMID: 123" → "123"); None when there are none."""
    text = clean_text(value)
    if not text:
        return None
    match = _PMID.search(text)
    return match.group(0).lstrip("0") or None if match else None


def normalise_year(value: object) -> str | None:
    """The first plausible four-digit year in a date ("2019/05/01" → "2019"), else the text.

    Returning unrecognised text lets validation report it in the record's error.
    """
    if value is None:
        return None
    text = clean_text(str(value))
    if not text:
        return None
    match = _YEAR.search(text)
    return match.group(1) if match else text


def fold(text: str) -> str:
    """Lower case ASCII without accents: "Yılmaz" → "yilmaz", "Çelik" → "celik"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def title_key(title: str | None) -> str:
    """Words of the title, folded, without punctuation or markup entities (dedup key)."""
    if not title:
        return ""
    words = _NOT_WORD.sub(" ", fold(clean_text(title) or "")).split()
    return " ".join(words)[:300]


def surname_key(family_name: str | None) -> str:
    """A family name without particle, folded to letters only: "van der Berg" → "berg"."""
    if not family_name:
        return ""
    _, family = split_particle(family_name)
    return _NOT_WORD.sub("", fold(family))[:200]


def split_particle(family: str) -> tuple[str | None, str]:
    """Split a leading tussenvoegsel off a family name: "van der Berg" → ("van der", "Berg")."""
    lowered = family.lower()
    for particle in PARTICLES:
        if lowered.startswith(particle + " ") and len(family) > len(particle) + 1:
            return family[: len(particle)].lower(), family[len(particle) + 1 :].strip()
    return None, family


def split_trailing_particle(given: str) -> tuple[str | None, str]:
    """"J. van der" (the Dutch citation order "Berg, J. van der") → ("van der", "J.")."""
    lowered = given.lower()
    for particle in PARTICLES:
        if lowered.endswith(" " + particle) and len(given) > len(particle) + 1:
            return particle, given[: -len(particle) - 1].strip()
    return None, given


def parse_author(name: str) -> dict[str, str | None] | None:
    """One author from "Family, Given", "Berg, J. van der" or "Given Family"; None if empty."""
    text = clean_text(name)
    if not text:
        return None
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
}  # fmt: skip

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
