"""Nominations from the public: an intervention put forward for assessment, or a study
recommended for an intervention. They form the secretary's queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow

NOMINATION_KINDS = ("intervention", "study")
NOMINATION_STATUSES = ("new", "in_progress", "accepted", "declined")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Nomination(db.Model):
    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint(_in("kind", NOMINATION_KINDS), name="kind"),
        CheckConstraint(_in("status", NOMINATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    nominator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The catalogue's intervention it concerns (a study is recommended for one; an
    # intervention nominated may be in the catalogue already, or only named).
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey("interventions.id", ondelete="SET NULL"))
    name: Mapped[str | None] = mapped_column(String(300))  # an intervention not yet listed
    doi: Mapped[str | None] = mapped_column(String(255))
    pmid: Mapped[str | None] = mapped_column(String(20))
    # The registry's study with that DOI or PMID, when it has one.
    study_id: Mapped[int | None] = mapped_column(ForeignKey("studies.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new")
    reply: Mapped[str | None] = mapped_column(Text)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    nominator: Mapped[User | None] = relationship(foreign_keys=[nominator_id])  # noqa: F821
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])  # noqa: F821
    intervention: Mapped[Intervention | None] = relationship()  # noqa: F821
    study: Mapped[Study | None] = relationship()  # noqa: F821
