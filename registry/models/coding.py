"""Double coding of findings: two panel members code a study's findings independently,
the differences are listed field by field, and an adjudicator resolves each; only the
adjudicated findings become the study's findings (registry/services/double_coding.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow
from registry.models.study import DIRECTIONS

# A time point of "not given" in unique keys (NULL is never equal to NULL in SQL).
NO_TIME_POINT = -1


class FindingCoding(db.Model):
    """One coder's findings of one study in one round; blind until they submit."""

    __tablename__ = "finding_codings"
    __table_args__ = (UniqueConstraint("round_id", "study_id", "coder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    coder: Mapped[User] = relationship()  # noqa: F821
    rows: Mapped[list[CodedFinding]] = relationship(
        cascade="all, delete-orphan", order_by="CodedFinding.position",
        back_populates="coding")


class CodedFinding(db.Model):
    __tablename__ = "coded_findings"
    __table_args__ = (
        CheckConstraint("direction IN (" + ", ".join(f"'{d}'" for d in DIRECTIONS) + ")",
                        name="direction"),
        CheckConstraint("ci_lower IS NULL OR ci_upper IS NULL OR ci_lower <= ci_upper",
                        name="ci"),
        CheckConstraint("n_intervention IS NULL OR n_intervention >= 0", name="n_intervention"),
        CheckConstraint("n_comparison IS NULL OR n_comparison >= 0", name="n_comparison"),
        CheckConstraint("sd_intervention IS NULL OR sd_intervention > 0",
                        name="sd_intervention"),
        CheckConstraint("sd_comparison IS NULL OR sd_comparison > 0", name="sd_comparison"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("finding_codings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    outcome_domain_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    time_point_months: Mapped[int | None] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(300))
    effect_size_type: Mapped[str | None] = mapped_column(String(30))
    effect_size: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    ci_lower: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    ci_upper: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    # What an effect on the common scale is computed from when the study reports no
    # effect size one can use (as Finding's columns of the same names).
    n_intervention: Mapped[int | None] = mapped_column(Integer)
    n_comparison: Mapped[int | None] = mapped_column(Integer)
    value_intervention: Mapped[float | None] = mapped_column(Float)
    value_comparison: Mapped[float | None] = mapped_column(Float)
    sd_intervention: Mapped[float | None] = mapped_column(Float)
    sd_comparison: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(15))
    lower_is_better: Mapped[bool] = mapped_column(default=False, server_default=false())

    coding: Mapped[FindingCoding] = relationship(back_populates="rows")
    outcome_domain: Mapped[VocabularyTerm] = relationship()  # noqa: F821


class FindingAdjudication(db.Model):
    """The resolution of one outcome and time point of a double-coded study: which coder's
    value each field takes, and the finding it made. Once per key and round."""

    __tablename__ = "finding_adjudications"
    __table_args__ = (
        UniqueConstraint("round_id", "study_id", "outcome_domain_id", "time_point_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    outcome_domain_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    time_point_key: Mapped[int] = mapped_column(Integer)
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="SET NULL"))
    adjudicator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    choices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    adjudicated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
