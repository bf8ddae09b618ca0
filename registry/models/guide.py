"""Werkwijzers: practice guides for intake, diagnosis, the plan of approach and
aftercare, written in Markdown by editors. Every save is a new version (the history);
the newest is the one shown. A version links the guide to facet values and
interventions, so it appears beside matching profile results and intervention pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import utcnow


class Guide(db.Model):
    __tablename__ = "guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[GuideVersion]] = relationship(
        back_populates="guide", order_by="GuideVersion.number", cascade="all, delete-orphan")

    @property
    def current(self) -> GuideVersion:
        return self.versions[-1]


class GuideVersion(db.Model):
    __tablename__ = "guide_versions"
    __table_args__ = (UniqueConstraint("guide_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(60))  # a code of the "phase" vocabulary
    body: Mapped[str] = mapped_column(Text)  # Markdown; rendered and sanitised when shown
    # "barrier:debt", "target_group:newcomers": where the guide appears beside results.
    facets: Mapped[list[str]] = mapped_column(JSON, default=list)
    intervention_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(String(500))  # what changed, for the history
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    guide: Mapped[Guide] = relationship(back_populates="versions")
