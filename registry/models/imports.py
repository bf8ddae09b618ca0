"""Import batches: what each imported record did, so every merge can be explained and undone.

Also keeps the normalised dedup keys on studies (title_key, first_author_key) in step
with their title and authors, whoever changes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow
from registry.models.study import Study, StudyAuthor
from registry.text_keys import surname_key, title_key

BATCH_STATES = ("committed", "undone")
ITEM_ACTIONS = ("added", "merged", "duplicate")
PENDING_STATES = ("pending", "merged", "added", "discarded")


class ImportBatch(db.Model):
    """One committed import of one file: who, when, which file, and the counts."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="studies")
    format: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where it came from: "cli", "upload" or "api" (the CLI may run without a user).
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="committed")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    items: Mapped[list[ImportBatchItem]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportBatchItem.id"
    )


class ImportBatchItem(db.Model):
    """What one record did: added a study, merged into one (and what it changed), or
    matched one exactly without changing it. previous_values hold what undo restores."""

    __tablename__ = "import_batch_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    record_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="SET NULL"), index=True
    )
    # An intervention import's record: the intervention it added or updated.
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey("interventions.id", ondelete="SET NULL"), index=True
    )
    # doi, pmid, title_year_author (exact keys), fuzzy_title, or person (a decision).
    method: Mapped[str | None] = mapped_column(String(30))
    score: Mapped[float | None] = mapped_column(Float)
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    previous_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # intervention_studies ids and finding ids this record created (undo removes them).
    # An intervention import keeps what undo needs in previous_values (importers/
    # interventions/undo.py).
    link_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    finding_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The study's title, kept when undo removes the study, so the batch page can say
    # what was removed.
    study_title: Mapped[str | None] = mapped_column(String(300))

    batch: Mapped[ImportBatch] = relationship(back_populates="items")


class PendingDuplicate(db.Model):
    """A probable duplicate that waits for a person: merge, add as new, or discard."""

    __tablename__ = "import_pending_duplicates"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    record_number: Mapped[int] = mapped_column(Integer)
    # The validated record in model shape (authors, keywords, findings included).
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    interventions: Mapped[list[str]] = mapped_column(JSON, default=list)
    candidate_study_id: Mapped[int] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(30))
    score: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[ImportBatch] = relationship()
    candidate: Mapped[Study] = relationship()


def study_keys(title: str | None, family_name: str | None) -> tuple[str, str]:
    """(title_key, first_author_key) of a study's title and first author's family name."""
    return title_key(title), surname_key(family_name)


def _refresh_keys(session: Session, flush_context, instances) -> None:
    """before_flush: recompute the dedup keys of studies whose title or authors changed."""
    studies = {o for o in session.new | session.dirty if isinstance(o, Study)}
    studies |= {
        o.study for o in session.new | session.dirty | session.deleted
        if isinstance(o, StudyAuthor) and o.study is not None
    }
    for study in studies:
        first = min(study.authors, key=lambda a: a.position or 0) if study.authors else None
        keys = study_keys(study.title, first.family_name if first else None)
        if (study.title_key, study.first_author_key) != keys:
            study.title_key, study.first_author_key = keys


if not event.contains(Session, "before_flush", _refresh_keys):
    event.listen(Session, "before_flush", _refresh_keys)
