"""Carry out an import plan: one batch, one item per intervention added or updated, with
what undo needs, and an audit event per intervention. Flushes, never commits.

An update never removes: a changed description becomes a new published version (the
previous one is superseded), and decisions, study links and other clearinghouses'
ratings the file adds join those on record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from importers.interventions.lookups import Lookups
from importers.interventions.plan import InterchangeReport, PlannedRecord, latest_version_number
from registry.errors import ImportRejected
from registry.extensions import db
from registry.models import (
    AgreedAppraisal,
    DomainRating,
    EvidenceDecision,
    ExternalRating,
    ImportBatch,
    ImportBatchItem,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Organisation,
    OutcomeRating,
    VocabularyTerm,
)
from registry.models.base import utcnow
from registry.models.intervention import VERSION_FIELDS
from registry.services.audit_trail import record_event
from registry.services.catalogue import public_decisions


def commit_plan(report: InterchangeReport, user, channel: str) -> ImportBatch | None:
    """Write what the report plans as one batch (None when every record is unchanged).
    Raises ImportRejected when a record is invalid or conflicting (nothing is written
    then)."""
    if not report.can_commit:
        raise ImportRejected(_("Het bestand heeft ongeldige of conflicterende records; er is "
                               "niets opgeslagen."))
    if not (report.of("new") or report.of("updated")):
        return None
    batch = ImportBatch(kind="interventions", format=report.format, channel=channel,
                        file_name=report.file_name[:255], file_sha256=report.sha256,
                        created_by_id=getattr(user, "id", None), counts=report.counts)
    db.session.add(batch)
    lookups = _organisations(report.new_organisations)
    for planned in report.planned:
        if planned.action == "new":
            item = _add(planned, lookups)
        elif planned.action == "updated":
            item = _update(planned, lookups)
        else:
            continue
        batch.items.append(item)
        db.session.flush()
        intervention = db.session.get(Intervention, item.intervention_id)
        # What undo checks is still so (importers/interventions/undo.py).
        item.previous_values = {**item.previous_values, "after": {
            "published_version_id": intervention.published_version_id,
            "current_decision_id": intervention.current_decision_id}}
        record_event(user, "import_intervention", intervention,
                     intervention_id=item.intervention_id,
                     after={"batch": batch.id, "action": item.action})
    db.session.flush()
    report.batch_id = batch.id
    return batch


def _organisations(records: list[dict[str, Any]]) -> Lookups:
    lookups = Lookups.load()
    for record in records:
        sector = record.pop("sector", None)
        organisation = Organisation(**record, sector_id=lookups.term_ids.get(
            ("provider_sector", sector)))
        db.session.add(organisation)
    db.session.flush()
    return Lookups.load()


def _add(planned: PlannedRecord, lookups: Lookups) -> ImportBatchItem:
    data = planned.data
    intervention = Intervention(slug=data["slug"],
                                owner_organisation_id=lookups.organisations.get(data["owner"]))
    db.session.add(intervention)
    version = _version(data, 1, lookups)
    intervention.versions.append(version)
    db.session.flush()
    intervention.published_version = version
    decisions = _decisions(intervention, version, data["decisions"], lookups)
    links = _links(intervention, [(r["study_id"], r) for r in data["studies"]])
    ratings = _ratings(intervention, data["external_ratings"], lookups)
    return ImportBatchItem(record_number=planned.number, action="added",
                           intervention_id=intervention.id, link_ids=links,
                           previous_values={"slug": intervention.slug,
                                            "created": _created(version, decisions, ratings)})


def _update(planned: PlannedRecord, lookups: Lookups) -> ImportBatchItem:
    intervention = db.session.get(Intervention, planned.intervention_id)
    previous = {"slug": intervention.slug,
                "published_version_id": intervention.published_version_id,
                "current_decision_id": intervention.current_decision_id,
                "superseded": {d.id: _iso(d.superseded_at) for d in intervention.decisions}}
    version = intervention.published_version
    if planned.description_changed:
        version = _new_published_version(intervention, planned.data, lookups)
    decisions = _decisions(intervention, version, planned.new_decisions, lookups)
    links = _links(intervention, planned.new_links)
    ratings = _ratings(intervention, planned.new_ratings, lookups)
    created = _created(version if planned.description_changed else None, decisions, ratings)
    return ImportBatchItem(record_number=planned.number, action="updated",
                           intervention_id=intervention.id, link_ids=links,
                           changed_fields=_changed(planned),
                           previous_values={**previous, "created": created})


def _new_published_version(intervention: Intervention, data: dict[str, Any],
                           lookups: Lookups) -> InterventionVersion:
    version = _version(data, latest_version_number(intervention.id) + 1, lookups)
    intervention.versions.append(version)
    if intervention.published_version is not None:
        intervention.published_version.status = "superseded"
    db.session.flush()
    intervention.published_version = version
    return version


def _version(data: dict[str, Any], number: int, lookups: Lookups) -> InterventionVersion:
    values = {name: (None if data.get(name) == "" else data.get(name)) for name in VERSION_FIELDS}
    version = InterventionVersion(number=number, status="published",
                                  published_at=data.get("published_at") or utcnow(), **values)
    term_ids = [lookups.term_ids[(vocabulary, code)]
                for vocabulary, codes in data["tags"].items() for code in dict.fromkeys(codes)]
    version.tags = [db.session.get(VocabularyTerm, term_id) for term_id in term_ids]
    version.providers = [db.session.get(Organisation, lookups.organisations[slug])
                         for slug in dict.fromkeys(data["providers"])]
    return version


def _decisions(intervention: Intervention, version: InterventionVersion,
               records: list[dict[str, Any]], lookups: Lookups) -> list[int]:
    created = []
    for record in records:
        decision = EvidenceDecision(
            intervention=intervention, version_id=version.id,
            **{k: record[k] for k in ("outcome", "level", "decided_on", "valid_until",
                                      "published_at", "expired_at", "superseded_at",
                                      "rationale", "conditions")})
        decision.ratings = [OutcomeRating(
            outcome_domain_id=lookups.term_ids[("outcome_domain", r["outcome_domain"])],
            level=r["level"], summary=r["summary"]) for r in record["ratings"]]
        decision.domain_ratings = [DomainRating(
            outcome_domain_id=lookups.term_ids[("outcome_domain", r["outcome_domain"])],
            horizon=r["horizon"], proposed=r["proposed"], decided=r["decided"],
            reason=r["reason"]) for r in record["domain_ratings"]]
        decision.study_appraisals = [AgreedAppraisal(
            study_id=a["study_id"], rating=a["rating"], reason=a["reason"])
            for a in record["study_appraisals"]]
        db.session.add(decision)
        db.session.flush()
        created.append(decision.id)
    if created:
        _set_current(intervention)
    return created


def _set_current(intervention: Intervention) -> None:
    """The newest published decision is current; each earlier one is superseded when the
    next was published (unless the file said when)."""
    db.session.expire(intervention, ["decisions"])
    history = sorted(public_decisions(intervention), key=lambda d: (d.decided_on, d.published_at,
                                                                    d.id))
    for earlier, later in zip(history, history[1:], strict=False):
        if earlier.superseded_at is None:
            earlier.superseded_at = later.published_at
    intervention.current_decision = history[-1] if history else None


def _links(intervention: Intervention, refs: list[tuple[int, dict[str, Any]]]) -> list[int]:
    links = [InterventionStudy(intervention=intervention, study_id=study_id,
                               relation=ref["relation"], note=ref["note"])
             for study_id, ref in dict(refs).items()]
    db.session.add_all(links)
    db.session.flush()
    return [link.id for link in links]


def _ratings(intervention: Intervention, records: list[dict[str, Any]],
             lookups: Lookups) -> list[int]:
    ratings = [ExternalRating(intervention=intervention, label=r["label"], url=r["url"],
                              rated_on=r["rated_on"],
                              source_id=lookups.term_ids[("clearinghouse", r["source"])])
               for r in records]
    db.session.add_all(ratings)
    db.session.flush()
    return [rating.id for rating in ratings]


def _created(version: InterventionVersion | None, decisions: list[int],
             ratings: list[int]) -> dict[str, Any]:
    return {"version_id": version.id if version else None, "decision_ids": decisions,
            "external_rating_ids": ratings}


def _changed(planned: PlannedRecord) -> list[str]:
    changed = ["description"] if planned.description_changed else []
    return changed + [name for name, items in (("decisions", planned.new_decisions),
                                               ("studies", planned.new_links),
                                               ("external_ratings", planned.new_ratings)) if items]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

