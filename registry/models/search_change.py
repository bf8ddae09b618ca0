"""The search change log, and the index replicas that read it.

A change row is written in the same transaction as the change it records, so a crash
after commit loses nothing and a rollback leaves no trace. Every index folder (on any
host) is a replica with its own position in the log; rows are pruned by age once every
registered replica has passed them (registry/search/replicas.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import FunctionElement

from registry.extensions import db
from registry.models.base import utcnow


class current_txid(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """The writing transaction's id on PostgreSQL (64-bit, never wraps); NULL elsewhere.

    On PostgreSQL change ids are taken in one order and committed in another; a reader
    that has seen id 11 may later see id 10 commit. Transaction ids below a snapshot's
    xmin are all finished, so a position in transaction ids is exact. SQLite has one
    writer at a time: ids commit in order and serve as the position themselves.
    """

    type = BigInteger()
    inherit_cache = True


@compiles(current_txid)
def _txid_default(element, compiler, **kw) -> str:
    return "NULL"


@compiles(current_txid, "postgresql")
def _txid_postgresql(element, compiler, **kw) -> str:
    return "pg_current_xact_id()::text::bigint"


class SearchChange(db.Model):
    """A record whose search document may be stale, for every replica to apply."""

    __tablename__ = "search_changes"
    # Without AUTOINCREMENT SQLite reuses the highest id once it is pruned: a replica
    # already past it would never see the new row.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    txid: Mapped[int | None] = mapped_column(BigInteger, default=current_txid(), index=True)


class SearchReplica(db.Model):
    """One index folder somewhere, and how far it has applied the change log.

    `position` is a transaction id on PostgreSQL (every change with txid below it is
    applied) and the next change id on SQLite.
    """

    __tablename__ = "search_replicas"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(BigInteger)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchReplicaApplied(db.Model):
    """A change at or above its replica's position that the replica has applied.

    Kept only until the position passes the change, so normally a handful of rows.
    """

    __tablename__ = "search_replica_applied"

    replica_id: Mapped[str] = mapped_column(
        ForeignKey("search_replicas.id", ondelete="CASCADE"), primary_key=True
    )
    change_id: Mapped[int] = mapped_column(
        ForeignKey("search_changes.id", ondelete="CASCADE"), primary_key=True
    )
