"""Applying the change log to the index, full rebuilds into a fresh folder, verification.

One writer per index folder: every write holds storage.writer_lock. The folder is a
replica with its own position in the change log (registry/search/replicas.py): a batch is
written to the index before the position moves past it, so a crash in between applies
it again (idempotent), and no row is deleted that another replica still needs.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.orm import Session

from registry.models import SearchChange
from registry.models.base import utcnow
from registry.search import replicas
from registry.search.kinds import INTERVENTIONS, KINDS, DocumentKind
from search_index import storage, writing

log = logging.getLogger(__name__)
BATCH = 500
# Changes written in one index commit: each commit leaves a segment that Whoosh merges.
COMMIT_EVERY = 5_000
# An engine, or in tests the connection holding the test's transaction.
Bind = Engine | Connection


def _write(writer, session: Session, changes: list[replicas.Change], kind: DocumentKind) -> None:
    # Every replica walks the whole log; each writes the changes of its own kind. Each
    # record once per writer: Whoosh's update_document replaces a record's documents in
    # committed segments only, so a record written twice into one writer (its changes in
    # two pages of one commit) would be indexed twice. Its document is read once, after
    # every change row of the commit was read: its state now.
    ids = sorted({change.entity_id for change in changes if change.entity_type == kind.name})
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        documents = kind.documents(session, part)
        writing.put(writer, {i: documents.get(i) for i in part})


def _apply(ix, session: Session, replica: str, kind: DocumentKind) -> int:
    # Taken before reading: every change visible now is below it or read by the loop.
    safe = replicas.start_position(session)
    row = replicas.get(session, replica)
    applied = 0
    while changes := replicas.pending(session, row, BATCH):
        # Up to COMMIT_EVERY changes in one index commit, read BATCH at a time.
        written = changes
        while len(written) < COMMIT_EVERY and (
                changes := replicas.pending(session, row, BATCH, after=written[-1].id)):
            written += changes
        if any(change.entity_type == kind.name for change in written):
            with writing.updating(ix) as writer:
                _write(writer, session, written, kind)
        # Else nothing to write: a commit would still make a new index generation, and
        # every process searching it would drop its caches for nothing (an import of
        # 20,000 studies made four, and search pages cost twice the CPU meanwhile).
        # A crash before this commit applies the changes again next time: harmless.
        replicas.mark_applied(session, row, written)
        session.commit()
        applied += len(written)
    replicas.advance(session, row, safe)
    session.commit()
    return applied


def sync_pending(
    bind: Bind, root: Path, timeout: float = 10.0,
    retention: timedelta = replicas.DEFAULT_RETENTION, kind: DocumentKind = INTERVENTIONS,
    prune: bool = True,
) -> int:
    """Apply every change this replica has not yet applied; returns the rows applied.
    With `prune`, also drop the log rows every replica has passed (replicas.prune).

    Raises storage.LockTimeout when another writer holds the lock too long,
    storage.IndexUnavailable when there is no usable index (the rows then stay) and
    replicas.ReplicaUnknown when this folder must be rebuilt first.
    """
    with storage.writer_lock(root, timeout):
        ix = storage.open_current(root, kind.schema())
        with Session(bind) as session:
            applied = _apply(ix, session, replicas.replica_id(root), kind)
            if prune:
                replicas.prune(session, retention)
                session.commit()
    return applied


def rebuild(
    bind: Bind, root: Path, lock_timeout: float = 60.0, procs: int | None = None,
    kind: DocumentKind = INTERVENTIONS,
) -> tuple[int, Path]:
    """Build a complete index in a new folder and swap it in; returns (documents, folder).

    Searches, and syncs into the old index, go on until the swap; afterwards the new
    index applies every change since the database was read. `procs` > 1 indexes in that
    many processes (each writes its own segments). Raises storage.LockTimeout.
    """
    with storage.rebuild_lock(root, lock_timeout):
        replica = replicas.replica_id(root)
        with Session(bind) as session:
            start = replicas.start_position(session)
            # Registered before reading, so no host prunes rows this index will need.
            row = session.get(replicas.SearchReplica, replica)
            replicas.register(session, replica, min(start, row.position) if row else start)
            session.commit()
        path, ix = storage.new_generation(root, kind.schema())
        count = _fill(bind, ix, procs or writing.PROCS, kind)
        with storage.writer_lock(root, lock_timeout), Session(bind) as session:
            # The position goes back to the start before the new index is current: a
            # crash between the two then only applies changes to the old index again.
            # The other way round, the new index would miss what syncs applied to the
            # old one while it was filled.
            replicas.register(session, replica, start)
            session.commit()
            storage.swap_in(root, path)
    log.info("search index rebuilt: %s %s documents in %s", count, kind.name, path.name)
    sync_pending(bind, root, lock_timeout, kind=kind)
    return count, path


def rebuild_all(bind: Bind, index_dir: Path, lock_timeout: float = 60.0,
                procs: int | None = None) -> dict[str, int]:
    """Rebuild every kind's index (interventions in index_dir, studies beside it);
    returns the documents per kind."""
    return {kind.name: rebuild(bind, kind.root(index_dir), lock_timeout, procs, kind)[0]
            for kind in KINDS}


def _fill(bind: Bind, ix, procs: int, kind: DocumentKind) -> int:
    with Session(bind) as session:
        ids = kind.ids(session) if procs > 1 else []
        if not ids:  # one process, or nothing to share out (a kind without records)
            return writing.fill(ix, kind.all_documents(session))
        # One stream per process over consecutive ranges of ids.
        bounds = [ids[len(ids) * k // procs - 1] if k else 0 for k in range(procs)]
        bounds.append(ids[-1])
        streams = [
            kind.batches(session, after_id=bounds[k], up_to_id=bounds[k + 1])
            for k in range(procs)
        ]
        return writing.fill_parallel(ix, streams)


@dataclass
class Differences:
    missing: list[int] = field(default_factory=list)  # public in the database, not indexed
    extra: list[int] = field(default_factory=list)  # indexed, not public (or gone)
    stale: list[int] = field(default_factory=list)  # indexed with outdated content
    duplicated: list[int] = field(default_factory=list)  # indexed more than once

    @property
    def ids(self) -> list[int]:
        return sorted(set(self.missing) | set(self.extra) | set(self.stale) | set(self.duplicated))

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale or self.duplicated)


def verify(bind: Bind, root: Path, kind: DocumentKind = INTERVENTIONS) -> Differences:
    """Compare every public record with the index. Raises storage.IndexUnavailable."""
    with Session(bind) as session:
        expected = {int(d["id"]): d["digest"] for d in kind.all_documents(session)}
    with storage.open_searcher(root) as searcher:
        stored = writing.stored_digests(searcher)
    actual = dict(stored)
    diff = Differences()
    diff.duplicated = sorted(i for i, n in Counter(i for i, _ in stored).items() if n > 1)
    diff.missing = sorted(set(expected) - set(actual))
    diff.extra = sorted(set(actual) - set(expected))
    diff.stale = sorted(i for i in set(expected) & set(actual) if expected[i] != actual[i])
    return diff


def enqueue(bind: Bind, ids: list[int], kind: DocumentKind = INTERVENTIONS) -> None:
    """Write change-log rows for these records of a kind (for repairs and bulk loads);
    every replica of that kind applies them."""
    if not ids:
        return
    rows = [{"entity_type": kind.name, "entity_id": i, "recorded_at": utcnow()} for i in ids]
    with Session(bind) as session:
        session.execute(insert(SearchChange), rows)
        session.commit()


def fix(bind: Bind, root: Path, diff: Differences, timeout: float = 10.0,
        kind: DocumentKind = INTERVENTIONS) -> int:
    """Repair the differences through the change log. Raises like sync_pending."""
    enqueue(bind, diff.ids, kind)
    return sync_pending(bind, root, timeout, kind=kind)
