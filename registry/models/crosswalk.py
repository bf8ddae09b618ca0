"""The international crosswalk: how other clearinghouses rated an intervention, on their
own scale, beside this registry's level."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from registry.extensions import db
from registry.models.vocabulary import VocabularyTerm


class ExternalRating(db.Model):
    """One clearinghouse's rating of one intervention: their label on their own scale,
    when they gave it, and where it is published."""

    __tablename__ = "external_ratings"
    __table_args__ = (UniqueConstraint("intervention_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"))
    # A term of the "clearinghouse" vocabulary.
    source_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    label: Mapped[str] = mapped_column(String(200))
    rated_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(500))

    source: Mapped[VocabularyTerm] = relationship()
    intervention: Mapped[Intervention] = relationship(  # noqa: F821
        backref=backref("external_ratings", cascade="all, delete-orphan",
                        order_by="ExternalRating.id"))
