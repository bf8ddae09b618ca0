"""Controlled vocabularies (client characteristics, outcome domains, designs) as data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db

# The vocabularies the registry knows; their terms live in vocabulary_terms.
VOCABULARIES = (
    "ladder_rung",
    "support_need",
    "age_band",
    "target_group",
    "barrier",
    "domain",
    "phase",
    "intervention_type",
    "provider_sector",
    "delivery_form",
    "setting",
    "evidence_type",
    "region",
    "outcome_domain",
    "study_design",
    # Other registries that rated an intervention (the crosswalk, ExternalRating).
    "clearinghouse",
    # The CBS list of municipalities; each term's broader code is its province (a
    # "region" code). Where a practice experience took place.
    "municipality",
)

# Vocabularies that tag an intervention version ("who is this for"). Ladder rungs are
# not tags: a version covers a range (ladder_rung_min..max) and the terms give labels.
INTERVENTION_TAG_VOCABULARIES = tuple(
    v for v in VOCABULARIES
    if v not in ("ladder_rung", "outcome_domain", "study_design", "clearinghouse",
                 "municipality")
)


class VocabularyTerm(db.Model):
    __tablename__ = "vocabulary_terms"
    __table_args__ = (UniqueConstraint("vocabulary", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(60))
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str | None] = mapped_column(String(1000))
    description_en: Mapped[str | None] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(default=0)
    # The code of the broader term a term belongs to (SKOS "broader"): a municipality's
    # province, as a code of the "region" vocabulary.
    broader_code: Mapped[str | None] = mapped_column(String(60))
    is_active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_nl

    def __repr__(self) -> str:
        return f"<VocabularyTerm {self.vocabulary}:{self.code}>"


class VocabularyRelease(db.Model):
    """Which version of the seed file was loaded, and when."""

    __tablename__ = "vocabulary_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


version_tags = db.Table(
    "intervention_version_tags",
    db.Column(
        "version_id",
        ForeignKey("intervention_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column("term_id", ForeignKey("vocabulary_terms.id"), primary_key=True, index=True),
)
