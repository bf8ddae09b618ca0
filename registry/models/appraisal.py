"""The panel's appraisal of effect studies: each reviewer's, inside the blind assessment,
and the panel's agreed rating per study, part of the decision. The rules that turn the
answers into a rating are in registry/effects/appraisal.py."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from registry.effects.appraisal import (
    ANALYSES,
    CONFOUNDING,
    DESIGNS,
    GROUP_FORMATIONS,
    OUTCOME_MEASURES,
    RATINGS,
)
from registry.extensions import db


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({listed})", name=column)


class StudyAppraisal(db.Model):
    """One reviewer's appraisal of one study in one assessment; blind like it. A draft
    may be incomplete; a submitted assessment has every answer and a rating."""

    __tablename__ = "study_appraisals"
    __table_args__ = (
        UniqueConstraint("assessment_id", "study_id"),
        _one_of("design", DESIGNS),
        _one_of("group_formation", GROUP_FORMATIONS),
        _one_of("confounding", CONFOUNDING),
        _one_of("outcome_measures", OUTCOME_MEASURES),
        _one_of("analysis", ANALYSES),
        _one_of("proposed", RATINGS),
        _one_of("rating", RATINGS),
        CheckConstraint("overall_attrition BETWEEN 0 AND 100", name="overall_attrition"),
        CheckConstraint("differential_attrition BETWEEN 0 AND 100",
                        name="differential_attrition"),
        CheckConstraint("baseline_difference >= 0", name="baseline_difference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"))
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"),
                                          index=True)
    design: Mapped[str | None] = mapped_column(String(20))
    group_formation: Mapped[str | None] = mapped_column(String(20))
    overall_attrition: Mapped[float | None] = mapped_column(Float)
    differential_attrition: Mapped[float | None] = mapped_column(Float)
    # Absolute difference of the analysed groups at baseline on the outcome, in SD.
    baseline_difference: Mapped[float | None] = mapped_column(Float)
    baseline_adjusted: Mapped[bool] = mapped_column(Boolean, default=False)
    confounding: Mapped[str | None] = mapped_column(String(10))
    outcome_measures: Mapped[str | None] = mapped_column(String(20))
    analysis: Mapped[str | None] = mapped_column(String(20))
    proposed: Mapped[str | None] = mapped_column(String(30))
    # The reviewer's rating: the proposed one, or an override with a written reason.
    rating: Mapped[str | None] = mapped_column(String(30))
    override_reason: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(  # noqa: F821
        backref=backref("appraisals", cascade="all, delete-orphan",
                        order_by="StudyAppraisal.id"))
    study: Mapped[Study] = relationship()  # noqa: F821


class AgreedAppraisal(db.Model):
    """The panel's agreed rating of one study in a decision; published with it, it
    becomes the study's quality on record."""

    __tablename__ = "agreed_appraisals"
    __table_args__ = (
        UniqueConstraint("decision_id", "study_id"),
        _one_of("rating", RATINGS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_decisions.id", ondelete="CASCADE"))
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"),
                                          index=True)
    rating: Mapped[str] = mapped_column(String(30))
    # Why the panel chose it when the reviewers did not all give it.
    reason: Mapped[str | None] = mapped_column(Text)

    decision: Mapped[EvidenceDecision] = relationship(  # noqa: F821
        backref=backref("study_appraisals", cascade="all, delete-orphan",
                        order_by="AgreedAppraisal.id"))
    study: Mapped[Study] = relationship()  # noqa: F821
