"""Evidence decisions of the panel, their ratings per outcome domain, and assessment rounds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.effects.domains import HORIZONS, RATINGS
from registry.extensions import db
from registry.models.base import TimestampMixin, utcnow
from registry.models.vocabulary import VocabularyTerm

_LEVELS_SQL = (
    "'well_described', 'well_founded', 'effective_first', 'effective_good', 'effective_strong'"
)
_OUTCOMES_SQL = _LEVELS_SQL + ", 'not_recognised', 'provisional'"

ROUND_STATES = (
    "draft",
    "submitted",
    "screening",
    "returned",
    "in_review",
    "in_discussion",
    "decided",
    "published",
    "expired",
    "withdrawn",
    "objection",
)


class AssessmentRound(TimestampMixin, db.Model):
    """One run of the procedure for one version of an intervention."""

    __tablename__ = "assessment_rounds"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in ROUND_STATES) + ")", name="state"
        ),
        CheckConstraint("kind IN ('initial', 'reassessment', 'objection')", name="kind"),
        CheckConstraint(f"level_sought IN ({_LEVELS_SQL})", name="level_sought"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("intervention_versions.id"))
    kind: Mapped[str] = mapped_column(String(20), default="initial")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # The level the owner applies for; the panel rules follow it. None: not chosen (a
    # round from before this was asked, or a reassessment), the general rule applies.
    level_sought: Mapped[str | None] = mapped_column(String(30))
    # Guards against two concurrent transitions both succeeding.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    version: Mapped[InterventionVersion] = relationship()  # noqa: F821

    __mapper_args__ = {"version_id_col": lock_version}


class PanelMember(db.Model):
    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rounds.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)
    no_conflict_declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    round: Mapped[AssessmentRound] = relationship(back_populates="panel")
    user: Mapped[User] = relationship()  # noqa: F821


class EvidenceDecision(TimestampMixin, db.Model):
    """A panel's decision on an intervention; earlier ones stay as its history."""

    __tablename__ = "evidence_decisions"
    __table_args__ = (
        CheckConstraint(f"outcome IN ({_OUTCOMES_SQL})", name="outcome"),
        CheckConstraint(f"level IS NULL OR level IN ({_LEVELS_SQL})", name="level"),
        CheckConstraint(
            "outcome != 'not_recognised' OR level IS NULL", name="not_recognised_level"
        ),
        CheckConstraint("valid_until IS NULL OR valid_until > decided_on", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(ForeignKey("intervention_versions.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_rounds.id"))
    # A level, 'not_recognised' or 'provisional' (docs/domain.md).
    outcome: Mapped[str] = mapped_column(String(30))
    # The recognised level; for a provisional decision the level its conditions lead to.
    level: Mapped[str | None] = mapped_column(String(30))
    suggested_level: Mapped[str | None] = mapped_column(String(30))
    decided_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rationale: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)

    intervention: Mapped[Intervention] = relationship(  # noqa: F821
        back_populates="decisions", foreign_keys=[intervention_id]
    )
    round: Mapped[AssessmentRound | None] = relationship()
    ratings: Mapped[list[OutcomeRating]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="OutcomeRating.id"
    )
    votes: Mapped[list[DecisionVote]] = relationship(
        back_populates="decision", cascade="all, delete-orphan"
    )
    domain_ratings: Mapped[list[DomainRating]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DomainRating.id"
    )

    @property
    def public_status(self) -> str:
        """What the public sees: the outcome, or 'expired' once lapsed."""
        return "expired" if self.expired_at is not None else self.outcome


class DecisionVote(db.Model):
    """A panel member's confirmation of a decision; unanimity means all confirmed."""

    __tablename__ = "decision_votes"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_decisions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_level: Mapped[str | None] = mapped_column(String(30))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    decision: Mapped[EvidenceDecision] = relationship(back_populates="votes")
    user: Mapped[User] = relationship()  # noqa: F821


class OutcomeRating(db.Model):
    """The panel's judgement of the evidence on one outcome domain."""

    __tablename__ = "outcome_ratings"
    __table_args__ = (
        UniqueConstraint("decision_id", "outcome_domain_id"),
        CheckConstraint(f"level IN ({_LEVELS_SQL}, 'not_recognised')", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_decisions.id", ondelete="CASCADE")
    )
    outcome_domain_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    level: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str | None] = mapped_column(Text)

    decision: Mapped[EvidenceDecision] = relationship(back_populates="ratings")
    outcome_domain: Mapped[VocabularyTerm] = relationship()


_RATINGS_SQL = ", ".join(f"'{r}'" for r in RATINGS)


class DomainRating(db.Model):
    """The panel's rating of one outcome domain at one follow-up horizon, beside the one
    the findings proposed (registry/effects/domains.py); a reason when they differ."""

    __tablename__ = "domain_ratings"
    __table_args__ = (
        UniqueConstraint("decision_id", "outcome_domain_id", "horizon"),
        CheckConstraint(f"proposed IN ({_RATINGS_SQL})", name="proposed"),
        CheckConstraint(f"decided IN ({_RATINGS_SQL})", name="decided"),
        CheckConstraint("horizon IN (" + ", ".join(f"'{h}'" for h in HORIZONS) + ")",
                        name="horizon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_decisions.id", ondelete="CASCADE")
    )
    outcome_domain_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    horizon: Mapped[str] = mapped_column(String(10))
    proposed: Mapped[str] = mapped_column(String(25))
    decided: Mapped[str] = mapped_column(String(25))
    reason: Mapped[str | None] = mapped_column(Text)

    decision: Mapped[EvidenceDecision] = relationship(back_populates="domain_ratings")
    outcome_domain: Mapped[VocabularyTerm] = relationship()
