"""Loading the controlled vocabularies from their versioned seed file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from registry.extensions import db
from registry.models import VocabularyRelease, VocabularyTerm
from registry.models.base import utcnow
from registry.models.vocabulary import VOCABULARIES

SEED_FILE = Path(__file__).resolve().parent.parent / "vocabularies" / "vocabularies.json"


@dataclass
class LoadResult:
    version: str
    added: int
    updated: int


def load_vocabularies(path: Path = SEED_FILE) -> LoadResult:
    """Upsert every term of the seed file by (vocabulary, code); idempotent.

    Terms missing from the file are kept but marked inactive, since records may use them.
    Raises ValueError for a vocabulary the registry does not know.
    """
    seed = json.loads(path.read_text(encoding="utf-8"))
    existing = {(t.vocabulary, t.code): t for t in db.session.scalars(select(VocabularyTerm))}
    added = updated = 0
    seen: set[tuple[str, str]] = set()
    for vocabulary, terms in seed["vocabularies"].items():
        if vocabulary not in VOCABULARIES:
            raise ValueError(f"unknown vocabulary {vocabulary!r} in {path.name}")
        for position, item in enumerate(terms):
            key = (vocabulary, item["code"])
            seen.add(key)
            term = existing.get(key)
            if term is None:
                db.session.add(_new_term(vocabulary, position, item))
                added += 1
            elif _update_term(term, position, item):
                updated += 1
    for key, term in existing.items():
        if key not in seen and term.is_active:
            term.is_active = False
            updated += 1
    _record_release(seed["version"])
    db.session.flush()
    return LoadResult(seed["version"], added, updated)


def _new_term(vocabulary: str, position: int, item: dict) -> VocabularyTerm:
    return VocabularyTerm(
        vocabulary=vocabulary,
        code=item["code"],
        label_nl=item["nl"],
        label_en=item["en"],
        position=position,
        broader_code=item.get("broader"),
        is_active=True,
    )


def _update_term(term: VocabularyTerm, position: int, item: dict) -> bool:
    wanted = {
        "label_nl": item["nl"],
        "label_en": item["en"],
        "position": position,
        "broader_code": item.get("broader"),
        "is_active": True,
    }
    changed = {k: v for k, v in wanted.items() if getattr(term, k) != v}
    for key, value in changed.items():
        setattr(term, key, value)
    return bool(changed)


def _record_release(version: str) -> None:
    if db.session.scalar(select(VocabularyRelease).filter_by(version=version)) is None:
        db.session.add(VocabularyRelease(version=version, loaded_at=utcnow()))


def terms_by_code(vocabulary: str) -> dict[str, VocabularyTerm]:
    """All terms of one vocabulary keyed by code."""
    stmt = select(VocabularyTerm).filter_by(vocabulary=vocabulary)
    return {t.code: t for t in db.session.scalars(stmt)}
