"""Which changes reach the index: session listeners that record them in the change log.

A document is read from the tables documents.tables_read() names; RULES says, for each,
which interventions' documents a changed row of it touches (a test holds RULES to that
list, so a new table in the document cannot be forgotten here). The change-log rows are
inserted in after_flush (when new records have their ids) through the flush's own
connection, so they commit or roll back together with the change itself; after the
commit, inline mode applies them at once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from registry.bulk_insert import insert_rows
from registry.models import (
    EvidenceDecision,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    PracticeExperience,
    SearchChange,
    Study,
)
from registry.models.base import utcnow
from registry.models.vocabulary import version_tags
from registry.search.catch_up import apply_waiting, init_catch_up
from registry.search.kinds import INTERVENTIONS, STUDIES, DocumentKind

log = logging.getLogger(__name__)
PENDING = "search_changes_pending"
SYNC_MODES = ("inline", "worker", "off")


def _own_ids(session: Session, rows: list) -> set[int]:
    return {row.id for row in rows}


def _their_interventions(session: Session, rows: list) -> set[int]:
    return {row.intervention_id for row in rows}


def _showing_terms(session: Session, terms: list) -> set[int]:
    # A document shows its tags' labels: renaming a term changes every intervention
    # whose published version carries it.
    stmt = (
        select(Intervention.id)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .join(version_tags, version_tags.c.version_id == InterventionVersion.id)
        .where(version_tags.c.term_id.in_([term.id for term in terms]))
    )
    # A municipality's province (its broader code) is in the "toegepast in" facets.
    placed = select(PracticeExperience.intervention_id).where(
        PracticeExperience.municipality_id.in_([term.id for term in terms]))
    return set(session.connection().scalars(stmt)) | set(
        session.connection().scalars(placed))


def _through_versions(session: Session, rows: list) -> set[int]:
    # Tags change only through InterventionVersion.tags, which marks the version itself
    # modified: the intervention_versions rule covers them.
    return set()


def linking_interventions(session: Session, study_ids: Iterable[int]) -> set[int]:
    """The interventions these studies are linked to (their documents show the studies'
    outcome domains)."""
    ids = {i for i in study_ids if i is not None}
    if not ids:
        return set()
    stmt = select(InterventionStudy.intervention_id).where(InterventionStudy.study_id.in_(ids))
    return set(session.connection().scalars(stmt))


def _through_studies(session: Session, rows: list) -> set[int]:
    # A finding or a study (finished or not) changes the outcome domains of the
    # interventions it is linked to.
    return linking_interventions(session, {getattr(row, "study_id", row.id) for row in rows})


def _decided_for(session: Session, rows: list) -> set[int]:
    # The panel's rating per domain belongs to a decision of one intervention.
    stmt = select(EvidenceDecision.intervention_id).where(
        EvidenceDecision.id.in_({row.decision_id for row in rows}))
    return set(session.connection().scalars(stmt))


# Per table a document reads: the interventions whose documents a changed row touches.
RULES: dict[str, Callable[[Session, list], set[int]]] = {
    "interventions": _own_ids,
    "intervention_versions": _their_interventions,
    "evidence_decisions": _their_interventions,
    "vocabulary_terms": _showing_terms,
    version_tags.name: _through_versions,
    "intervention_studies": _their_interventions,
    "studies": _through_studies,
    "findings": _through_studies,
    "external_ratings": _their_interventions,
    "practice_experiences": _their_interventions,
    "domain_ratings": _decided_for,
}


def _their_studies(session: Session, rows: list) -> set[int]:
    return {row.study_id for row in rows}


def _designed_with(session: Session, terms: list) -> set[int]:
    # A study document carries its design's code: recoding a design term changes them.
    stmt = select(Study.id).where(Study.design_id.in_([term.id for term in terms]))
    return set(session.connection().scalars(stmt))


def _linked_studies(session: Session, interventions: list) -> set[int]:
    # Publishing or withdrawing an intervention changes whether its studies count as
    # linked (only published interventions count).
    stmt = select(InterventionStudy.study_id).where(
        InterventionStudy.intervention_id.in_({row.id for row in interventions}))
    return set(session.connection().scalars(stmt))


# Per table a study document reads: the studies whose documents a changed row touches.
# A study's link to a published intervention is its "linked" facet.
STUDY_RULES: dict[str, Callable[[Session, list], set[int]]] = {
    "studies": _own_ids,
    "study_authors": _their_studies,
    "intervention_studies": _their_studies,
    "interventions": _linked_studies,
    "vocabulary_terms": _designed_with,
}
RULES_BY_KIND = {INTERVENTIONS.name: RULES, STUDIES.name: STUDY_RULES}


def _rows_by_table(session: Session) -> dict[str, list]:
    """The flush's new, changed and deleted rows of the tables some document reads."""
    watched = set(RULES) | set(STUDY_RULES)
    dirty = [o for o in session.dirty if session.is_modified(o)]
    by_table: dict[str, list] = defaultdict(list)
    for row in chain(session.new, dirty, session.deleted):
        table = getattr(type(row), "__tablename__", None)
        if table in watched:
            by_table[table].append(row)
    return by_table


def _changed_ids(session: Session, by_table: dict[str, list], rules: dict) -> set[int]:
    ids: set[int] = set()
    for table, rows in by_table.items():
        if table in rules:
            ids |= rules[table](session, rows)
    return {i for i in ids if i is not None}


def record_changes(session: Session, flush_context) -> None:
    """after_flush: one change-log row per record of each kind touched by this flush."""
    by_table = _rows_by_table(session)
    if not by_table:
        return
    now = utcnow()
    rows = [{"entity_type": kind, "entity_id": i, "recorded_at": now}
            for kind, rules in RULES_BY_KIND.items()
            for i in sorted(_changed_ids(session, by_table, rules))]
    if not rows:
        return
    session.connection().execute(insert(SearchChange), rows)
    session.info[PENDING] = True


def record_studies_written(session: Session, study_ids: Iterable[int]) -> None:
    """record_written for studies and for the interventions linked to them (Core writes
    of studies or findings change those interventions' outcome domains)."""
    study_ids = set(study_ids)
    record_written(session, STUDIES, study_ids)
    record_written(session, INTERVENTIONS, linking_interventions(session, study_ids))


def record_written(session: Session, kind: DocumentKind, ids: Iterable[int]) -> None:
    """Change-log rows for records written with Core statements (the bulk import, undo),
    which the flush listeners cannot see; in the writer's own transaction."""
    now = utcnow()
    rows = [{"entity_type": kind.name, "entity_id": i, "recorded_at": now}
            for i in sorted(set(ids))]
    if rows:
        insert_rows(SearchChange.__table__, rows, session)
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
    # What cannot be applied within the wait stays in the log for the process's
    # catch-up thread (registry/search/catch_up.py), the next commit or a rebuild.
    apply_waiting(app, app.config.get("SEARCH_INLINE_LOCK_TIMEOUT", 2.0))


def init_search(app: Flask) -> None:
    """Record search changes for the app's sessions (Flask-SQLAlchemy's Session class and
    its subclasses, not every SQLAlchemy session: the index's own sessions write no
    records). Registered once per process, by the app factory."""
    if not event.contains(AppSession, "after_flush", record_changes):
        event.listen(AppSession, "after_flush", record_changes)
        event.listen(AppSession, "after_commit", apply_after_commit)
        event.listen(AppSession, "after_rollback", _forget)
    app.config.setdefault("SEARCH_LOCK_TIMEOUT", 10.0)
    app.config.setdefault("SEARCH_INLINE_LOCK_TIMEOUT", 2.0)
    app.config.setdefault("SEARCH_CHANGE_RETENTION_HOURS", 168.0)
    init_catch_up(app, sync_mode(app))
