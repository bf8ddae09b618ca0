"""Reminders that a recognition lapses: one row per decision and point before expiry, so
the scheduled job (registry/services/jobs.py) sends each exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db
from registry.models.base import utcnow


class DecisionReminder(db.Model):
    """A reminder handled for a decision `months_before` its expiry (sent, or passed over
    because a nearer point was due at the same run)."""

    __tablename__ = "decision_reminders"
    __table_args__ = (UniqueConstraint("decision_id", "months_before", name="uq_reminder_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_decisions.id", ondelete="CASCADE")
    )
    months_before: Mapped[int] = mapped_column(Integer)
    sent: Mapped[bool] = mapped_column(default=True)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
