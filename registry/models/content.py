"""The content generation: a counter every commit that changes what pages show moves on.

Rendered pages are kept per process for one generation (registry/page_cache.py); the
counter lives in the database all hosts share, so an edit on one host is seen by every
other host's next request (registry/content_generation.py moves it at commit).
"""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from registry.extensions import db


class ContentGeneration(db.Model):
    """One row (id 1): the number of committed transactions that changed shown content."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
