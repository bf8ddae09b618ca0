"""Practice experiences: a professional of a municipality tells how an intervention was
carried out locally (where, when, for whom, what was adapted, what was seen, lessons).
The secretary moderates; only published ones are shown, apart from the evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow
from registry.models.vocabulary import VocabularyTerm

EXPERIENCE_STATUSES = ("submitted", "published", "rejected")


class PracticeExperience(db.Model):
    __tablename__ = "practice_experiences"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'published', 'rejected')", name="status"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="period"),
        CheckConstraint("participants IS NULL OR participants > 0", name="participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"), index=True)
    # A term of the "municipality" vocabulary (its broader code is the province).
    municipality_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_terms.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # None: still running
    participants: Mapped[int | None] = mapped_column(Integer)
    target_group: Mapped[str] = mapped_column(String(300))
    adaptations: Mapped[str | None] = mapped_column(Text)
    observations: Mapped[str] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    # Published with the experience, so colleagues elsewhere can ask (a work address).
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why it was not published (shown to the professional who sent it).
    moderation_note: Mapped[str | None] = mapped_column(String(1000))

    municipality: Mapped[VocabularyTerm] = relationship()
    intervention: Mapped[Intervention] = relationship(  # noqa: F821
        backref=backref("experiences", cascade="all, delete-orphan",
                        order_by="PracticeExperience.started_on.desc()"))
    submitted_by: Mapped[User | None] = relationship(  # noqa: F821
        foreign_keys=[submitted_by_id])

    @property
    def is_published(self) -> bool:
        return self.status == "published"
