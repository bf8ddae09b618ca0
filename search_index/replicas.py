"""Index replicas: each index folder keeps its own position in the database's change log.

Several hosts (or several folders on one host) each keep an index of their own. Nobody
deletes change rows another replica still needs: rows are pruned only when they are
older than the retention and every registered replica has passed them. A replica that
was away longer than the retention is dropped from the register and must rebuild.

A position is a PostgreSQL transaction id (changes are applied when their txid is at
or above it, and the position moves to the snapshot's xmin: every transaction below it
has finished, so no late commit is skipped), or on SQLite, where one writer commits at
a time, the next change id.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, text, tuple_
from sqlalchemy.orm import Session

from registry.models import SearchChange, SearchReplica
from registry.models.base import utcnow

REPLICA_FILE = "replica-id"
DEFAULT_RETENTION = timedelta(days=7)
# Written at most this often while nothing changes (a follow worker polls 5× a second).
TOUCH_EVERY = timedelta(minutes=1)
# Any constant shared by all hosts: one pruner at a time.
PRUNE_LOCK = 0x5EA4C4


class ReplicaUnknown(Exception):
    """This index folder is not in the register (new, or expired): rebuild it."""


@dataclass
class Change:
    id: int
    entity_id: int
    key: int  # txid on PostgreSQL, id on SQLite


def replica_id(root: Path) -> str:
    """The id of the replica kept in this folder, created with the folder."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / REPLICA_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    tmp = root / f".{REPLICA_FILE}-{uuid.uuid4().hex[:8]}"
    tmp.write_text(f"{socket.gethostname()[:40]}-{uuid.uuid4().hex}\n")
    try:
        os.link(tmp, path)  # fails if another process created it first: theirs wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _key(session: Session):
    return SearchChange.txid if _is_postgres(session) else SearchChange.id


def safe_position(session: Session) -> int | None:
    """PostgreSQL: the oldest transaction still running (everything below has finished).
    SQLite: None (positions follow the ids applied)."""
    if not _is_postgres(session):
        return None
    return session.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))


def start_position(session: Session) -> int:
    """Where a replica built from the database as it is now starts reading the log."""
    safe = safe_position(session)
    if safe is not None:
        return safe
    return (session.scalar(select(func.max(SearchChange.id))) or 0) + 1


def pending(session: Session, position: int, after: tuple[int, int], limit: int) -> list[Change]:
    """The next changes at or past `position`, after the (key, id) pair `after`."""
    key = _key(session)
    rows = session.execute(
        select(SearchChange.id, SearchChange.entity_id, key)
        .where(key >= position, tuple_(key, SearchChange.id) > tuple_(*after))
        .order_by(key, SearchChange.id)
        .limit(limit)
    ).all()
    return [Change(*row) for row in rows]


def register(session: Session, replica: str, position: int) -> SearchReplica:
    """Enter (or re-enter) a replica at this position."""
    row = session.get(SearchReplica, replica)
    if row is None:
        row = SearchReplica(id=replica, host=socket.gethostname()[:255], position=position)
        session.add(row)
    row.position = position
    row.synced_at = utcnow()
    session.flush()
    return row


def get(session: Session, replica: str) -> SearchReplica:
    """This replica's row. Raises ReplicaUnknown."""
    row = session.get(SearchReplica, replica)
    if row is None:
        raise ReplicaUnknown(f"replica {replica} is not registered: rebuild the index")
    return row


def advance(row: SearchReplica, position: int) -> None:
    """Move the position forward (never back); note that the replica is alive."""
    now = utcnow()
    if position > row.position or now - _aware(row.synced_at) > TOUCH_EVERY:
        row.position = max(row.position, position)
        row.synced_at = now


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def prune(session: Session, retention: timedelta = DEFAULT_RETENTION) -> int:
    """Drop replicas not seen within the retention and the rows all others have passed."""
    if _is_postgres(session) and not session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": PRUNE_LOCK}
    ):
        return 0  # another host is pruning right now
    cutoff = utcnow() - retention
    session.execute(delete(SearchReplica).where(SearchReplica.synced_at < cutoff))
    lowest = session.scalar(select(func.min(SearchReplica.position)))
    if lowest is None:
        return 0
    result = session.execute(
        delete(SearchChange).where(SearchChange.recorded_at < cutoff, _key(session) < lowest)
    )
    return result.rowcount or 0


def lag_seconds(session: Session, replica: str) -> float:
    """Seconds since the oldest change this replica has not applied (0 when none).
    Raises ReplicaUnknown."""
    row = get(session, replica)
    key = _key(session)
    oldest = session.scalar(
        select(SearchChange.recorded_at).where(key >= row.position).order_by(key).limit(1)
    )
    return 0.0 if oldest is None else max(0.0, (utcnow() - _aware(oldest)).total_seconds())
