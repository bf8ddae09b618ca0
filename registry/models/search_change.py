"""The search change log: written in the same transaction as the change it records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db
from registry.models.base import utcnow


class SearchChange(db.Model):
    """A record whose search document may be stale; the indexer applies and deletes these.

    Because the row commits (or rolls back) with the change itself, a crash after commit
    loses nothing and a rollback leaves no trace.
    """

    __tablename__ = "search_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
