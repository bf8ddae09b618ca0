"""Text keys the registry stores and matches on: DOIs, folded titles, family names.

Studies keep their dedup keys in indexed columns (registry/models/imports.py computes
them on flush), so the functions live beside the models; the import formats use them
through importers/normalise.py.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_RESOLVER = re.compile(r"^(?:https?://)?(?:dx\.)?(?:www\.)?doi\.org/|^doi(?::\s*|\s+)",
                       re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")  # anything but a letter or digit, in any script
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


def _doi_match(value: str | None) -> tuple[str, re.Match | None]:
    """(the text searched, the DOI found in it): without wrapping brackets or a resolver
    prefix; a resolver URL percent-decoded and without its query and fragment."""
    text = (clean_text(value) or "").lstrip("([< ")
    resolver = _RESOLVER.match(text)
    text = text[resolver.end():].strip() if resolver else text
    if resolver and resolver.group(0).lower().startswith("http"):
        text = unquote(text.split("?", 1)[0].split("#", 1)[0]).rstrip("/")
    return text, DOI_PATTERN.search(text)


def _without_unbalanced_end(doi: str) -> str:
    # A DOI may hold brackets ("10.1002/(SICI)1097-..."), but one closing more than it
    # opened was the text's, as in "(doi:10.1000/abc)".
    doi = doi.rstrip(".,;")
    for opening, closing in ("()", "[]", "<>"):
        while doi.endswith(closing) and doi.count(closing) > doi.count(opening):
            doi = doi[:-1].rstrip(".,;")
    return doi


def normalise_doi(value: str | None) -> str | None:
    """Lower case, without resolver prefix (https://doi.org/, doi:); None when no DOI."""
    _text, match = _doi_match(value)
    return _without_unbalanced_end(match.group(0)).lower() if match else None


# What may stand beside a DOI in its field: PubMed's "[doi]" tag and punctuation.
_DOI_DECORATION = re.compile(r"\[doi\]|[\s.,;:()\[\]<>]", re.IGNORECASE)


def doi_with_other_text(value: str | None) -> bool:
    """Whether a DOI field holds more than one DOI ("10.1000/abc 123": a DOI has no
    spaces, so the rest would be lost without a word)."""
    text, match = _doi_match(value)
    if not match:
        return False
    rest = text[:match.start()] + text[match.start() + len(
        _without_unbalanced_end(match.group(0))):]
    return bool(_DOI_DECORATION.sub("", rest))


def fold(text: str) -> str:
    """Case-folded, without accents: "Yılmaz" → "yilmaz", "Çelik" → "celik". Letters of
    other scripts stay ("Иванов" → "иванов"): dropping them made every Cyrillic or Greek
    name the same empty key, and two different studies one duplicate."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
