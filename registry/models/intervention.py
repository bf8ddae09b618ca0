"""Interventions and their versioned descriptions."""

from __future__ import annotations

from datetime import datetime

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import TimestampMixin
from registry.models.organisation import Organisation
from registry.models.vocabulary import VocabularyTerm, version_tags

# Lifecycle of one description version; the assessment round has its own states.
VERSION_STATUSES = ("draft", "submitted", "published", "superseded", "withdrawn")

version_providers = db.Table(
    "intervention_version_providers",
    db.Column(
        "version_id",
        ForeignKey("intervention_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


# What a description must hold before it can be submitted; drafts save without them.
# A version's own content columns, in the description form's order (the form's schema,
# registry/schemas/procedure.py, holds these and the relationships tags and providers).
VERSION_FIELDS = (
    "title", "summary", "main_aim", "sub_aims", "target_group_text", "targets_household",
    "approach", "duration", "intensity", "setting_text", "active_elements",
    "ladder_rung_min", "ladder_rung_max", "cost_min_eur", "cost_max_eur", "cost_notes",
    "availability_text", "manual_and_materials", "implementation_conditions",
    "contact_name", "contact_email", "contact_phone", "website", "year_started",
)  # fmt: skip
REQUIRED_TO_SUBMIT = ("title", "summary", "main_aim", "target_group_text", "approach")


class Intervention(TimestampMixin, db.Model):
    """The stable identity of an intervention; its text lives in versions."""

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The version the public sees; None while nothing is published.
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("intervention_versions.id", use_alter=True)
    )
    current_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_decisions.id", use_alter=True)
    )

    owner: Mapped[Organisation | None] = relationship()
    versions: Mapped[list[InterventionVersion]] = relationship(
        back_populates="intervention",
        foreign_keys="InterventionVersion.intervention_id",
        order_by="InterventionVersion.number",
        cascade="all, delete-orphan",
    )
    published_version: Mapped[InterventionVersion | None] = relationship(
        foreign_keys=[published_version_id], post_update=True
    )
    current_decision: Mapped[EvidenceDecision | None] = relationship(  # noqa: F821
        foreign_keys=[current_decision_id], post_update=True
    )
    decisions: Mapped[list[EvidenceDecision]] = relationship(  # noqa: F821
        back_populates="intervention",
        foreign_keys="EvidenceDecision.intervention_id",
        order_by="EvidenceDecision.decided_on.desc()",
    )
    study_links: Mapped[list[InterventionStudy]] = relationship(  # noqa: F821
        back_populates="intervention", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        version = self.published_version or (self.versions[-1] if self.versions else None)
        return version.title if version else self.slug


class InterventionVersion(TimestampMixin, db.Model):
    """One version of an intervention's description; frozen once submitted."""

    __tablename__ = "intervention_versions"
    __table_args__ = (
        UniqueConstraint("intervention_id", "number"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'published', 'superseded', 'withdrawn')",
            name="status",
        ),
        CheckConstraint("ladder_rung_min <= ladder_rung_max", name="ladder_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Optimistic locking: a second save of a stale form is refused, never silently lost.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    main_aim: Mapped[str] = mapped_column(Text)
    sub_aims: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_group_text: Mapped[str] = mapped_column(Text)
    targets_household: Mapped[bool] = mapped_column(default=False)
    approach: Mapped[str] = mapped_column(Text)
    duration: Mapped[str | None] = mapped_column(String(300))
    intensity: Mapped[str | None] = mapped_column(String(300))
    setting_text: Mapped[str | None] = mapped_column(String(500))
    active_elements: Mapped[list[str]] = mapped_column(JSON, default=list)
    ladder_rung_min: Mapped[int] = mapped_column(Integer, default=1)
    ladder_rung_max: Mapped[int] = mapped_column(Integer, default=6)
    cost_min_eur: Mapped[int | None] = mapped_column(Integer)
    cost_max_eur: Mapped[int | None] = mapped_column(Integer)
    cost_notes: Mapped[str | None] = mapped_column(Text)
    availability_text: Mapped[str | None] = mapped_column(Text)
    manual_and_materials: Mapped[str | None] = mapped_column(Text)
    implementation_conditions: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    year_started: Mapped[int | None] = mapped_column(Integer)

    intervention: Mapped[Intervention] = relationship(
        back_populates="versions", foreign_keys=[intervention_id]
    )
    tags: Mapped[list[VocabularyTerm]] = relationship(
        secondary=version_tags, order_by="VocabularyTerm.position"
    )
    # Ordered, so a joined load (the intervention page) gives the same order every time.
    providers: Mapped[list[Organisation]] = relationship(
        secondary=version_providers, order_by="Organisation.name"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    def missing_for_submission(self) -> list[str]:
        """The fields a submission needs that this version leaves empty (a draft may be
        saved with any of them empty)."""
        return [name for name in REQUIRED_TO_SUBMIT if not (getattr(self, name) or "").strip()]

    def tags_of(self, vocabulary: str) -> list[VocabularyTerm]:
        return [t for t in self.tags if t.vocabulary == vocabulary]
