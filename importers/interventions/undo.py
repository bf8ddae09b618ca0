"""Undo an intervention import batch: remove the interventions it added, and take back
what it added to the ones it updated (a version, decisions, study links, ratings),
restoring the version and decision that were current before. Flushes, never commits.

Undo refuses (Conflict) when an intervention changed since the import in a way undo
would destroy: a procedure started on it, another version or decision became current,
or a later import that is not undone changed it (undo that one first). Organisations the
import created stay (other records may use them by now).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from registry.errors import Conflict
from registry.extensions import db
from registry.models import (
    AssessmentRound,
    EvidenceDecision,
    ExternalRating,
    ImportBatch,
    ImportBatchItem,
    Intervention,
    InterventionStudy,
    InterventionVersion,
)
from registry.models.base import utcnow
from registry.row_locks import current_state
from registry.services.audit_trail import record_event


def undo_intervention_batch(batch: ImportBatch, user) -> None:
    """Undo the batch. Raises Conflict when it was undone already or an intervention
    changed since (also by a request at the same moment)."""
    current_state(batch)
    if batch.state != "committed":
        raise Conflict(_("Deze import is al ongedaan gemaakt."))
    items = [i for i in reversed(batch.items) if i.intervention_id is not None]
    for item in items:
        _refuse_if_changed(item)
    if batch.items and not items:
        # Its interventions are gone (an earlier import of them was undone): there is
        # nothing left to take back, and the batch must not claim otherwise.
        raise Conflict(_("De interventies van deze import bestaan niet meer; er valt niets "
                         "ongedaan te maken."))
    for item in items:
        intervention = db.session.get(Intervention, item.intervention_id)
        record_event(user, "undo_import_intervention", intervention,
                     intervention_id=intervention.id, before={"batch": batch.id,
                                                              "action": item.action})
        if item.action == "added":
            item.intervention_id = None  # SET NULL by hand: SQLite leaves foreign keys alone
            _remove(intervention)
        else:
            _take_back(intervention, item)
    batch.state, batch.undone_at = "undone", utcnow()
    batch.undone_by_id = getattr(user, "id", None)
    db.session.flush()


def _refuse_if_changed(item: ImportBatchItem) -> None:
    intervention = db.session.get(Intervention, item.intervention_id)
    if intervention is None:
        raise Conflict(_("Een interventie van deze import bestaat niet meer; er valt niets "
                         "ongedaan te maken."))
    later = db.session.scalar(
        select(ImportBatchItem.batch_id).join(ImportBatch)
        .where(ImportBatch.id > item.batch_id, ImportBatch.state == "committed",
               ImportBatch.kind == item.batch.kind,
               ImportBatchItem.intervention_id == intervention.id).limit(1))
    if later:
        raise Conflict(_("Import %(later)s heeft de interventie '%(title)s' daarna gewijzigd; "
                         "maak die eerst ongedaan.", later=later, title=intervention.title))
    after = item.previous_values.get("after", {})
    rounds = db.session.scalar(select(func.count()).select_from(AssessmentRound).where(
        AssessmentRound.intervention_id == intervention.id,
        AssessmentRound.opened_at > item.batch.created_at))
    now = {"published_version_id": intervention.published_version_id,
           "current_decision_id": intervention.current_decision_id}
    if rounds or now != after:
        raise Conflict(_("De interventie '%(title)s' is na de import gewijzigd; maak de import "
                         "daarom niet ongedaan.", title=intervention.title))


def _remove(intervention: Intervention) -> None:
    intervention.current_decision = None
    intervention.published_version = None
    db.session.flush()
    for decision in list(intervention.decisions):
        db.session.delete(decision)
    db.session.flush()
    db.session.delete(intervention)
    db.session.flush()


def _take_back(intervention: Intervention, item: ImportBatchItem) -> None:
    previous = item.previous_values
    created = previous.get("created", {})
    intervention.current_decision_id = previous.get("current_decision_id")
    intervention.published_version_id = previous.get("published_version_id")
    db.session.flush()
    for link in db.session.scalars(select(InterventionStudy).where(
            InterventionStudy.id.in_(item.link_ids or []))):
        db.session.delete(link)
    for decision_id in created.get("decision_ids", []):
        db.session.delete(db.session.get(EvidenceDecision, decision_id))
    for rating in db.session.scalars(select(ExternalRating).where(
            ExternalRating.id.in_(created.get("external_rating_ids", [])))):
        db.session.delete(rating)  # through the session: the search index hears of it
    if created.get("version_id") and previous.get("published_version_id"):
        db.session.delete(db.session.get(InterventionVersion, created["version_id"]))
        db.session.get(InterventionVersion, previous["published_version_id"]).status = "published"
    for decision_id, superseded_at in previous.get("superseded", {}).items():
        decision = db.session.get(EvidenceDecision, int(decision_id))
        if decision is not None:
            decision.superseded_at = (datetime.fromisoformat(superseded_at)
                                      if superseded_at else None)
    db.session.flush()
