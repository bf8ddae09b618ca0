"""Organisations: owners (licence holders) and providers of interventions."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import TimestampMixin
from registry.models.vocabulary import VocabularyTerm

ORGANISATION_KINDS = (
    "municipality",
    "provider",
    "knowledge_institute",
    "social_enterprise",
    "other",
)


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('municipality', 'provider', 'knowledge_institute', "
            "'social_enterprise', 'other')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="provider")
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("vocabulary_terms.id"))
    city: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(500))

    sector: Mapped[VocabularyTerm | None] = relationship()
