"""Index replicas: each index folder keeps its own position in the database's change log.

Several hosts (or several folders on one host) each keep an index of their own. Nobody
deletes change rows another replica still needs: rows are pruned only when they are
older than the retention and every registered replica has passed them. A replica that
was away longer than the retention is dropped from the register and must rebuild.

A replica's place in the log has two parts. Its position: every change below it is
applied. On PostgreSQL that is a transaction id (change rows carry their writer's), and
it moves only to the snapshot's xmin, below which every transaction has finished, so a
change committed late by a transaction that started early is never skipped; on SQLite,
where one writer commits at a time and ids commit in order, the next change id. And
the changes at or above the position that it has applied already (search_replica_applied),
so none is applied twice however long a transaction elsewhere holds the xmin back.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from registry.extensions import on_postgresql
from registry.models import SearchChange, SearchReplica, SearchReplicaApplied
from registry.models.base import as_utc, utcnow

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
    entity_type: str = "intervention"


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


def _key(session: Session):
    return SearchChange.txid if on_postgresql(session) else SearchChange.id


def start_position(session: Session) -> int:
    """A position every change already visible now is below or applied with: PostgreSQL,
    the oldest transaction still running in this database; SQLite, the next change id."""
    if on_postgresql(session):
        # pg_stat_activity is read once per transaction and then kept: read it afresh.
        session.execute(text("SELECT pg_stat_clear_snapshot()"))
        return session.scalar(_OLDEST_RUNNING_HERE)
    return (session.scalar(select(func.max(SearchChange.id))) or 0) + 1


# The oldest transaction id still running in this database, as a 64-bit id (xid8), or
# the next one to be handed out. pg_current_snapshot()'s own xmin would do, but it
# spans every database of the server, where any long writer would hold us back.
# pg_stat_activity shows backend_xid for the sessions of our own role (or with
# pg_read_all_stats): every host must write as the same role.
_OLDEST_RUNNING_HERE = text("""
    WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xid)
    SELECT COALESCE(MIN(
        (((next.xid >> 32) - CASE WHEN a.backend_xid::text::bigint > (next.xid & 4294967295)
                                  THEN 1 ELSE 0 END) << 32)
        | a.backend_xid::text::bigint), MIN(next.xid))
    FROM next LEFT JOIN pg_stat_activity AS a
      ON a.datname = current_database() AND a.backend_xid IS NOT NULL
""")


def _unapplied(session: Session, replica: SearchReplica):
    applied = select(SearchReplicaApplied.change_id).where(
        SearchReplicaApplied.replica_id == replica.id,
        SearchReplicaApplied.change_id == SearchChange.id,
    )
    return (_key(session) >= replica.position, ~applied.exists())


def pending(session: Session, replica: SearchReplica, limit: int,
            after: int = 0) -> list[Change]:
    """The next changes this replica has not applied, oldest first (with ids above
    `after`: the next page while earlier pages are written but not yet marked)."""
    rows = session.execute(
        select(SearchChange.id, SearchChange.entity_id, SearchChange.entity_type)
        .where(*_unapplied(session, replica), SearchChange.id > after)
        .order_by(SearchChange.id)
        .limit(limit)
    ).all()
    return [Change(*row) for row in rows]


def mark_applied(session: Session, replica: SearchReplica, changes: list[Change]) -> None:
    """Record that these changes are in this replica's index (after writing them)."""
    session.execute(
        insert(SearchReplicaApplied),
        [{"replica_id": replica.id, "change_id": change.id} for change in changes],
    )
    _touch(replica)


def advance(session: Session, replica: SearchReplica, position: int) -> None:
    """Move the position forward (never back) and forget the marks it has passed."""
    if position > replica.position:
        replica.position = position
        passed = select(SearchChange.id).where(_key(session) < position)
        session.execute(
            delete(SearchReplicaApplied).where(
                SearchReplicaApplied.replica_id == replica.id,
                SearchReplicaApplied.change_id.in_(passed),
            )
        )
        _touch(replica, moved=True)
    else:
        _touch(replica)


def _touch(replica: SearchReplica, moved: bool = False) -> None:
    # The worker polls several times a second: note it alive at most every TOUCH_EVERY,
    # unless the row is written anyway.
    now = utcnow()
    if moved or now - _aware(replica.synced_at) > TOUCH_EVERY:
        replica.synced_at = now


def register(session: Session, replica: str, position: int) -> SearchReplica:
    """Enter (or re-enter) a replica at this position, with nothing marked applied."""
    row = session.get(SearchReplica, replica)
    if row is None:
        row = SearchReplica(id=replica, host=socket.gethostname()[:255], position=position)
        session.add(row)
        session.flush()
    session.execute(delete(SearchReplicaApplied).where(SearchReplicaApplied.replica_id == replica))
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


def _aware(moment: datetime) -> datetime:
    return as_utc(moment)


def prune(session: Session, retention: timedelta = DEFAULT_RETENTION) -> int:
    """Drop replicas not seen within the retention and the rows all others have passed."""
    if on_postgresql(session) and not session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": PRUNE_LOCK}
    ):
        return 0  # another host is pruning right now
    cutoff = utcnow() - retention
    gone = select(SearchReplica.id).where(SearchReplica.synced_at < cutoff)
    session.execute(delete(SearchReplicaApplied).where(SearchReplicaApplied.replica_id.in_(gone)))
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
    oldest = session.scalar(select(func.min(SearchChange.recorded_at)).where(
        *_unapplied(session, row)))
    return 0.0 if oldest is None else max(0.0, (utcnow() - _aware(oldest)).total_seconds())
