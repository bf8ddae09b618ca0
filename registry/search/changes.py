"""Session listeners: record search changes in the same transaction, apply after commit.

The rows are inserted in after_flush (when new records have their ids) through the
flush's own connection, so they commit or roll back together with the change itself.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import chain
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from registry.models import (
    EvidenceDecision,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    SearchChange,
    VocabularyTerm,
)
from registry.models.base import utcnow
from registry.models.vocabulary import version_tags

log = logging.getLogger(__name__)
PENDING = "search_changes_pending"
SYNC_MODES = ("inline", "worker", "off")


def _intervention_id(obj) -> int | None:
    if isinstance(obj, Intervention):
        return obj.id
    if isinstance(obj, InterventionVersion | EvidenceDecision | InterventionStudy):
        return obj.intervention_id
    return None


def _changed_ids(session: Session) -> set[int]:
    dirty = [o for o in session.dirty if session.is_modified(o)]
    ids = {_intervention_id(o) for o in chain(session.new, dirty, session.deleted)}
    terms = [o.id for o in chain(dirty, session.deleted) if isinstance(o, VocabularyTerm)]
    return {i for i in ids if i is not None} | _showing_terms(session, terms)


def _showing_terms(session: Session, term_ids: list[int]) -> set[int]:
    # A document shows its tags' labels: renaming a term changes every intervention
    # whose published version carries it.
    if not term_ids:
        return set()
    stmt = (
        select(Intervention.id)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .join(version_tags, version_tags.c.version_id == InterventionVersion.id)
        .where(version_tags.c.term_id.in_(term_ids))
    )
    return set(session.connection().scalars(stmt))


def record_changes(session: Session, flush_context) -> None:
    """after_flush: one change-log row per intervention touched by this flush."""
    ids = _changed_ids(session)
    if not ids:
        return
    now = utcnow()
    rows = [{"entity_type": "intervention", "entity_id": i, "recorded_at": now} for i in ids]
    session.connection().execute(insert(SearchChange), rows)
    session.info[PENDING] = True


def _forget(session: Session, *args) -> None:
    session.info.pop(PENDING, None)


def sync_mode(app: Flask) -> str:
    """inline (apply after each commit), worker (a separate process applies) or off.

    Tests default to off: their commits are savepoints inside a rolled-back transaction.
    """
    configured = app.config.get("SEARCH_SYNC")
    return configured or ("off" if app.testing else "inline")


def apply_after_commit(session: Session) -> None:
    """after_commit: in inline mode apply the change log now; failures leave it pending."""
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    if sync_mode(app) != "inline":
        return
    from registry.extensions import db
    from registry.search.replicas import ReplicaUnknown
    from registry.search.sync import sync_pending
    from search_index.storage import IndexUnavailable, LockTimeout

    try:
        sync_pending(db.engine, Path(app.config["INDEX_DIR"]),
                     app.config.get("SEARCH_LOCK_TIMEOUT", 10.0),
                     timedelta(hours=app.config["SEARCH_CHANGE_RETENTION_HOURS"]))
    except (IndexUnavailable, LockTimeout, ReplicaUnknown) as error:
        # The rows stay in the log; the next sync, the worker or a rebuild applies them.
        log.warning("search index not updated after commit: %s", error)


def init_search(app: Flask) -> None:
    """Register the listeners once per process."""
    if not event.contains(Session, "after_flush", record_changes):
        event.listen(Session, "after_flush", record_changes)
        event.listen(Session, "after_commit", apply_after_commit)
        event.listen(Session, "after_rollback", _forget)
    app.config.setdefault("SEARCH_LOCK_TIMEOUT", 10.0)
    app.config.setdefault("SEARCH_CHANGE_RETENTION_HOURS", 168.0)
