"""Tags and providers of an intervention description: what may be chosen, the schema
that checks a description against it, saving the choice and showing it in a diff."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from registry.extensions import db
from registry.models import InterventionVersion, Organisation, VocabularyTerm
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.schemas.procedure import VersionInputSchema


def active_tag_terms() -> dict[str, list[VocabularyTerm]]:
    """The active terms of every intervention tag vocabulary, in their order."""
    stmt = (
        select(VocabularyTerm)
        .where(
            VocabularyTerm.vocabulary.in_(INTERVENTION_TAG_VOCABULARIES),
            VocabularyTerm.is_active.is_(True),
        )
        .order_by(VocabularyTerm.position, VocabularyTerm.id)
    )
    terms: dict[str, list[VocabularyTerm]] = {v: [] for v in INTERVENTION_TAG_VOCABULARIES}
    for term in db.session.scalars(stmt):
        terms[term.vocabulary].append(term)
    return terms


def provider_choices() -> list[Organisation]:
    """Every organisation that can be named as a provider, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def description_schema() -> VersionInputSchema:
    """The description schema, told which tag codes and provider slugs exist now."""
    tag_codes = {v: {t.code for t in terms} for v, terms in active_tag_terms().items()}
    slugs = set(db.session.scalars(select(Organisation.slug)))
    return VersionInputSchema(tag_codes=tag_codes, provider_slugs=slugs)


def apply_tags_and_providers(version: InterventionVersion, data: dict[str, Any]) -> None:
    """Replace the version's tags and providers with the (validated) codes and slugs."""
    if "tags" in data:
        wanted = {(v, c) for v, codes in data["tags"].items() for c in codes}
        terms = [t for terms in active_tag_terms().values() for t in terms]
        version.tags = [t for t in terms if (t.vocabulary, t.code) in wanted]
    if "providers" in data:
        slugs = set(data["providers"])
        stmt = select(Organisation).where(Organisation.slug.in_(slugs)).order_by(Organisation.name)
        version.providers = list(db.session.scalars(stmt)) if slugs else []


def tag_codes_of(version: InterventionVersion) -> dict[str, list[str]]:
    """The version's tags as vocabulary → codes (the shape the schema loads)."""
    codes: dict[str, list[str]] = {}
    for term in version.tags:
        codes.setdefault(term.vocabulary, []).append(term.code)
    return codes


def provider_slugs_of(version: InterventionVersion) -> list[str]:
    return sorted(o.slug for o in version.providers)


def relation_lines(version: InterventionVersion, locale: str) -> dict[str, list[str]]:
    """Per tag vocabulary ("tags.<vocabulary>") and for "providers", the readable names
    the version diff compares, in the given locale."""
    lines = {
        f"tags.{v}": [t.label(locale) for t in version.tags_of(v)]
        for v in INTERVENTION_TAG_VOCABULARIES
    }
    lines["providers"] = sorted(o.name for o in version.providers)
    return lines
