"""Adoption figures: anonymous counts per month, never per person (registry/usage)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db


class UsageCount(db.Model):
    """How often something happened in one month: a metric (a search, a profile search,
    a view of an intervention, a fact-sheet download), broken down by one dimension and
    value (a facet and its code, or the intervention's status). No person, address or
    query text is ever stored."""

    __tablename__ = "usage_counts"
    __table_args__ = (UniqueConstraint("month", "metric", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    metric: Mapped[str] = mapped_column(String(30))
    dimension: Mapped[str] = mapped_column(String(40))  # "" for the metric's total
    value: Mapped[str] = mapped_column(String(80))
    count: Mapped[int] = mapped_column(Integer, default=0)
