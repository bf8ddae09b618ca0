"""The assessment procedure's records: submissions, screening, conflicts, assessments,
and the panel's comment thread. Rounds, panels and decisions live in decision.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow

# What screening checks before a dossier goes to the assessors (docs/domain.md).
# A round in none of these states is under way: its intervention's studies and
# findings stay as they are until it ends (services.validity.open_round).
CLOSED_ROUND_STATES = ("published", "expired", "withdrawn", "objection")

SCREENING_CRITERIA = (
    "described",
    "used_in_two_places",
    "manual_exists",
    "process_evaluation",
    "owns_or_licenses",
)

_PROPOSALS_SQL = (
    "'well_described', 'well_founded', 'effective_first', 'effective_good', "
    "'effective_strong', 'not_recognised'"
)


class Submission(db.Model):
    """One submission (or resubmission) of a round's frozen version, and who made it."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("intervention_versions.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The owner's written answer to the screening remarks, with a resubmission.
    answer: Mapped[str | None] = mapped_column(Text)

    submitted_by: Mapped[User | None] = relationship()  # noqa: F821
    round: Mapped[AssessmentRound] = relationship(  # noqa: F821
        backref=backref("submissions", order_by="Submission.id")
    )


class ScreeningReview(db.Model):
    """The secretary's screening of one submission: the checklist and the remarks."""

    __tablename__ = "screening_reviews"
    __table_args__ = (CheckConstraint("outcome IN ('returned', 'accepted')", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True
    )
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    remarks: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(10))
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    round: Mapped[AssessmentRound] = relationship(  # noqa: F821
        backref=backref("screenings", order_by="ScreeningReview.id")
    )


class ConflictDeclaration(db.Model):
    """A reviewer's declared conflict of interest with an organisation or intervention."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (
        CheckConstraint(
            "organisation_id IS NOT NULL OR intervention_id IS NOT NULL", name="target"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE")
    )
    note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A standing conflict the reviewer withdrew: kept for the register's history.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()  # noqa: F821
    organisation: Mapped[Organisation | None] = relationship()  # noqa: F821
    intervention: Mapped[Intervention | None] = relationship()  # noqa: F821


class Assessment(db.Model):
    """One reviewer's independent assessment in one round; blind until submitted."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("round_id", "reviewer_id"),
        CheckConstraint(
            f"proposed_level IS NULL OR proposed_level IN ({_PROPOSALS_SQL})",
            name="proposed_level",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE")
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    proposed_level: Mapped[str | None] = mapped_column(String(30))
    motivation: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    reviewer: Mapped[User] = relationship()  # noqa: F821
    round: Mapped[AssessmentRound] = relationship(  # noqa: F821
        backref=backref("assessments", order_by="Assessment.id")
    )
    scores: Mapped[list[AssessmentScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentScore.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    def score_map(self) -> dict[str, int]:
        return {s.item: s.score for s in self.scores}


class AssessmentScore(db.Model):
    """A score 1–4 on one criterion: 'description', 'theory', 'study:<id>', 'outcome:<code>'."""

    __tablename__ = "assessment_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item"),
        CheckConstraint("score BETWEEN 1 AND 4", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE")
    )
    item: Mapped[str] = mapped_column(String(60))
    score: Mapped[int] = mapped_column(Integer)

    assessment: Mapped[Assessment] = relationship(back_populates="scores")


class RoundComment(db.Model):
    """A message in the panel's discussion of one round."""

    __tablename__ = "round_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()  # noqa: F821
    round: Mapped[AssessmentRound] = relationship(  # noqa: F821
        backref=backref("comments", order_by="RoundComment.id")
    )


ADVICE_KINDS = ("question", "advice")


class RoundAdvice(db.Model):
    """The advisory round on a draft: the owner's question, or the secretary's advice.
    No decision and no change of state; each message is also an audit event."""

    __tablename__ = "round_advice"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in ADVICE_KINDS) + ")",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()  # noqa: F821
    round: Mapped[AssessmentRound] = relationship(  # noqa: F821
        backref=backref("advice", order_by="RoundAdvice.id")
    )
