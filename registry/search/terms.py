"""The facet values a search may name: vocabulary codes (with their labels) and the
public statuses.

A search that names a value outside them (a mistyped or hand-made link, an API client's
wrong code) is refused by the search schemas with the value and a likely meant one,
rather than searched for as a characteristic no intervention has.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterable

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import select

from registry.evidence import PUBLIC_STATUSES
from registry.extensions import db
from registry.models import VocabularyTerm
from registry.search.documents import FACET_VOCABULARY, FACETS

_kept_labels: dict[str, tuple[float, int | None, dict]] = {}
# g's attribute holding the content generation a kept page is being rendered in.
RENDERING_GENERATION = "rendering_generation"
# Unknown values a refusal suggests a likely meant one for, at most: each suggestion
# compares the value with every code of its facet (340 municipalities).
SUGGESTIONS = 5


def term_labels(locale: str) -> dict[str, dict[str, tuple[int, str]]]:
    """Per facet: value -> (position, label) from the vocabularies, for display; kept
    for TERM_LABELS_SECONDS per process (read-only: shared between requests). A kept
    page (registry/page_cache.py) is rendered with labels read in its own content
    generation: it is kept for as long as that lasts, not for the labels' seconds."""
    keep = current_app.config.get("TERM_LABELS_SECONDS", 0)
    generation = g.get(RENDERING_GENERATION)
    now = time.monotonic()
    found = _kept_labels.get(locale)
    if (keep and found is not None and now - found[0] < keep
            and (generation is None or found[1] == generation)):
        return found[2]
    labels = _read_term_labels(locale)
    if keep:
        _kept_labels[locale] = (now, generation, labels)
    return labels


def _read_term_labels(locale: str) -> dict[str, dict[str, tuple[int, str]]]:
    labels: dict[str, dict[str, tuple[int, str]]] = {f: {} for f in FACETS}
    label = VocabularyTerm.label_en if locale == "en" else VocabularyTerm.label_nl
    stmt = select(
        VocabularyTerm.vocabulary, VocabularyTerm.code, VocabularyTerm.position, label
    ).where(VocabularyTerm.vocabulary.in_({*FACETS, *FACET_VOCABULARY.values()}))
    # Plain rows, not ORM objects: this runs on every search page.
    for vocabulary, code, position, text in db.session.execute(stmt):
        labels.setdefault(vocabulary, {})[code] = (position, text)
    for facet, vocabulary in FACET_VOCABULARY.items():
        labels[facet] = labels.get(vocabulary, {})
    return labels


def known_codes(terms: dict[str, dict]) -> dict[str, set[str]]:
    """Per facet the values it has: its vocabulary's codes (retired terms included, so
    an old link or saved profile keeps working) and, for the status, the public ones."""
    known = {facet: set(codes) for facet, codes in terms.items()}
    known["level"] = set(PUBLIC_STATUSES)
    return known


def unknown_value_messages(chosen: dict[str, Iterable[str]]) -> dict[str, list[str]]:
    """Per facet named in `chosen` with values it does not have: one message per such
    value, in Dutch, with the likeliest value meant when one is close."""
    if not any(chosen.values()):  # most searches name no facet value: nothing to read
        return {}
    known = known_codes(term_labels("nl"))
    messages: dict[str, list[str]] = {}
    suggested = 0
    for facet, values in chosen.items():
        codes = known.get(facet, set())
        for value in values:
            if value not in codes:
                close = _closest(value, codes) if suggested < SUGGESTIONS else None
                suggested += 1
                messages.setdefault(facet, []).append(
                    _("Onbekende waarde '%(value)s'. Bedoelde u '%(close)s'?", value=value,
                      close=close) if close
                    else _("Onbekende waarde '%(value)s'.", value=value))
    return messages


def _closest(value: str, codes: set[str]) -> str | None:
    close = difflib.get_close_matches(value, sorted(codes), n=1, cutoff=0.6)
    return close[0] if close else None
