"""Studies, their ordered authors, their findings and their links to interventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import TimestampMixin
from registry.models.vocabulary import VocabularyTerm

QUALITY_RATINGS = ("high", "moderate", "low")
DIRECTIONS = ("favourable", "null", "unfavourable")
EFFECT_SIZE_TYPES = (
    "cohens_d",
    "hedges_g",
    "odds_ratio",
    "risk_ratio",
    "hazard_ratio",
    "risk_difference",
    "mean_difference",
)
STUDY_RELATIONS = ("effect", "process", "theory", "other")


def follow_up_band(months: int | None) -> str | None:
    """kort (< 12 months), lang (12–36), zeer lang (> 36); None when unknown."""
    if months is None:
        return None
    if months < 12:
        return "short"
    return "long" if months <= 36 else "very_long"


class Study(TimestampMixin, db.Model):
    __tablename__ = "studies"
    __table_args__ = (
        CheckConstraint("quality IN ('high', 'moderate', 'low')", name="quality"),
        CheckConstraint("year BETWEEN 1900 AND 2100", name="year"),
        Index("ix_studies_dedup_block", "first_author_key", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    journal: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    volume: Mapped[str | None] = mapped_column(String(100))
    issue: Mapped[str | None] = mapped_column(String(100))
    pages: Mapped[str | None] = mapped_column(String(100))
    # Normalised: lower case, no resolver prefix (docs/domain.md, deduplication).
    doi: Mapped[str | None] = mapped_column(String(255), unique=True)
    pmid: Mapped[str | None] = mapped_column(String(20), unique=True)
    url: Mapped[str | None] = mapped_column(String(1000))
    abstract: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str | None] = mapped_column(String(2))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    publication_type: Mapped[str | None] = mapped_column(String(60))
    design_id: Mapped[int | None] = mapped_column(ForeignKey("vocabulary_terms.id"))
    n_intervention: Mapped[int | None] = mapped_column(Integer)
    n_comparison: Mapped[int | None] = mapped_column(Integer)
    setting: Mapped[str | None] = mapped_column(Text)
    follow_up_months: Mapped[int | None] = mapped_column(Integer)
    quality: Mapped[str | None] = mapped_column(String(10))
    # A registered trial still running: its registration (e.g. NCT01234567,
    # NL-OMON12345, ISRCTN12345678) and when it is expected to end. The intervention
    # page lists linked ones as "onderzoek loopt".
    trial_registration: Mapped[str | None] = mapped_column(String(40))
    expected_end: Mapped[date | None] = mapped_column(Date)
    ongoing: Mapped[bool] = mapped_column(default=False, server_default=false())
    quality_rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Dedup keys (importers.normalise), kept in step by registry.models.imports.
    title_key: Mapped[str | None] = mapped_column(String(300), index=True)
    first_author_key: Mapped[str | None] = mapped_column(String(200))

    design: Mapped[VocabularyTerm | None] = relationship()
    authors: Mapped[list[StudyAuthor]] = relationship(
        order_by="StudyAuthor.position", cascade="all, delete-orphan", back_populates="study"
    )
    findings: Mapped[list[Finding]] = relationship(
        cascade="all, delete-orphan", back_populates="study", order_by="Finding.id"
    )
    intervention_links: Mapped[list[InterventionStudy]] = relationship(
        back_populates="study", cascade="all, delete-orphan"
    )

    @property
    def follow_up_band(self) -> str | None:
        return follow_up_band(self.follow_up_months)

    @property
    def first_author(self) -> StudyAuthor | None:
        return self.authors[0] if self.authors else None


class StudyAuthor(db.Model):
    __tablename__ = "study_authors"
    __table_args__ = (UniqueConstraint("study_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    family_name: Mapped[str] = mapped_column(String(200))
    # Dutch tussenvoegsel ("van der"), kept apart so "Berg, J. van der" sorts under B.
    particle: Mapped[str | None] = mapped_column(String(40))
    given_names: Mapped[str | None] = mapped_column(String(200))

    study: Mapped[Study] = relationship(back_populates="authors")

    @property
    def display_name(self) -> str:
        family = f"{self.particle} {self.family_name}" if self.particle else self.family_name
        return f"{family}, {self.given_names}" if self.given_names else family


class Finding(db.Model):
    """One coded result of a study on one outcome at one time point."""

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("direction IN ('favourable', 'null', 'unfavourable')", name="direction"),
        CheckConstraint("ci_lower IS NULL OR ci_upper IS NULL OR ci_lower <= ci_upper", name="ci"),
        CheckConstraint("p_value IS NULL OR (p_value >= 0 AND p_value <= 1)", name="p_value"),
        CheckConstraint("sd_intervention IS NULL OR sd_intervention > 0",
                        name="sd_intervention"),
        CheckConstraint("sd_comparison IS NULL OR sd_comparison > 0", name="sd_comparison"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    outcome_domain_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    measure: Mapped[str] = mapped_column(String(300))
    time_point_months: Mapped[int | None] = mapped_column(Integer)
    effect_size_type: Mapped[str | None] = mapped_column(String(30))
    effect_size: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    ci_lower: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    ci_upper: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    # The numbers to compute an effect when no effect size is reported.
    n_intervention: Mapped[int | None] = mapped_column(Integer)
    n_comparison: Mapped[int | None] = mapped_column(Integer)
    # Means (with their SDs) of a continuous outcome, or proportions (0–1) of a
    # dichotomous one: what registry/effects/effect_sizes.py computes g from.
    value_intervention: Mapped[float | None] = mapped_column(Float)
    value_comparison: Mapped[float | None] = mapped_column(Float)
    sd_intervention: Mapped[float | None] = mapped_column(Float)
    sd_comparison: Mapped[float | None] = mapped_column(Float)
    p_value: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(15))
    # Less of the measure is the better result (benefit dependence, sick leave): its
    # raw effect is turned round on the common scale, whatever the direction coded.
    lower_is_better: Mapped[bool] = mapped_column(default=False, server_default=false())
    counts_towards_rating: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    study: Mapped[Study] = relationship(back_populates="findings")
    outcome_domain: Mapped[VocabularyTerm] = relationship()

    @property
    def follow_up_band(self) -> str | None:
        return follow_up_band(self.time_point_months)


class InterventionStudy(db.Model):
    __tablename__ = "intervention_studies"
    __table_args__ = (
        UniqueConstraint("intervention_id", "study_id"),
        CheckConstraint("relation IN ('effect', 'process', 'theory', 'other')", name="relation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE")
    )
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20), default="effect")
    note: Mapped[str | None] = mapped_column(Text)

    intervention: Mapped[Intervention] = relationship(back_populates="study_links")  # noqa: F821
    study: Mapped[Study] = relationship(back_populates="intervention_links")
