"""Write what the pipeline decided: add studies in bulk, merge into existing ones, keep
probable duplicates pending, link to interventions. Flushes, never commits.

Studies, authors and findings go in with bulk INSERTs (an import may hold 100k records);
links to interventions go through the ORM so the search change log sees them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update

from importers.dedup import Match
from importers.validate import Lookups, ValidRecord
from registry.extensions import db
from registry.models import (
    Finding,
    ImportBatch,
    ImportBatchItem,
    InterventionStudy,
    PendingDuplicate,
    Study,
    StudyAuthor,
)

# Filled from the imported record when the existing study has no value; never overwritten.
MERGE_FIELDS = (
    "year", "journal", "publisher", "volume", "issue", "pages", "doi", "pmid", "url",
    "abstract", "language", "country", "publication_type", "design_id", "n_intervention",
    "n_comparison", "setting", "follow_up_months",
)  # fmt: skip
COLUMN_FIELDS = (*MERGE_FIELDS, "title", "keywords", "quality", "title_key", "first_author_key")


def study_row(record: ValidRecord, lookups: Lookups) -> dict[str, Any]:
    """The studies-table values of a record (design code → id, dedup keys included)."""
    values = dict(record.values)
    values["design_id"] = lookups.designs.get(values.pop("design", None) or "")
    values["title_key"] = record.title_key
    values["first_author_key"] = record.author_key
    return {key: values.get(key) for key in COLUMN_FIELDS} | {
        "keywords": values.get("keywords") or []
    }


class Writer:
    """Applies decisions to one batch; counts live on the caller's report."""

    def __init__(self, batch: ImportBatch, lookups: Lookups, link_ids: list[int]):
        self.batch = batch
        self.lookups = lookups
        self.extra_links = link_ids

    def add(self, records: list[ValidRecord], decided_by_id: int | None = None) -> list[int]:
        """Insert studies with authors and findings; one item each. Returns the study ids."""
        if not records:
            return []
        rows = [study_row(r, self.lookups) for r in records]
        ids = list(db.session.scalars(
            insert(Study).returning(Study.id, sort_by_parameter_order=True), rows))
        authors = [{**a, "study_id": i} for r, i in zip(records, ids, strict=True)
                   for a in r.values["authors"]]
        if authors:
            db.session.execute(insert(StudyAuthor), authors)
        items = []
        for record, study_id in zip(records, ids, strict=True):
            items.append({
                "batch_id": self.batch.id, "record_number": record.number, "action": "added",
                "study_id": study_id, "finding_ids": self._findings(record, study_id),
                "link_ids": self.link(study_id, record.interventions),
                "changed_fields": [], "previous_values": {}, "decided_by_id": decided_by_id,
            })
        db.session.execute(insert(ImportBatchItem), items)
        return ids

    def _findings(self, record: ValidRecord, study_id: int) -> list[int]:
        rows = []
        for finding in record.values.get("findings") or []:
            values = {k: v for k, v in finding.items() if k != "outcome_domain"}
            domain_id = self.lookups.outcome_domains[finding["outcome_domain"]]
            rows.append({**values, "study_id": study_id, "outcome_domain_id": domain_id})
        if not rows:
            return []
        return list(db.session.scalars(
            insert(Finding).returning(Finding.id, sort_by_parameter_order=True), rows))

    def link(self, study_id: int, slugs: list[str]) -> list[int]:
        """Link the study to the named interventions (and the batch's own); new link ids."""
        wanted = {self.lookups.interventions[s] for s in slugs} | set(self.extra_links)
        if not wanted:
            return []
        existing = set(db.session.scalars(select(InterventionStudy.intervention_id).where(
            InterventionStudy.study_id == study_id)))
        links = [InterventionStudy(intervention_id=i, study_id=study_id)
                 for i in sorted(wanted - existing)]
        db.session.add_all(links)
        db.session.flush()
        return [link.id for link in links]

    def merge(self, record: ValidRecord, match: Match, study_id: int,
              decided_by_id: int | None = None) -> bool:
        """Fill the study's empty fields from record; an item says what changed (for undo).

        Returns whether anything changed (an unchanged exact duplicate leaves no item).
        """
        current = db.session.execute(
            select(Study.__table__).where(Study.id == study_id)).mappings().one()
        incoming = study_row(record, self.lookups)
        changed = {k: incoming[k] for k in MERGE_FIELDS
                   if current[k] in (None, "") and incoming[k] not in (None, "")}
        previous: dict[str, Any] = {k: current[k] for k in changed}
        new_keywords = [k for k in incoming["keywords"] if k not in (current["keywords"] or [])]
        if new_keywords:
            previous["keywords"] = current["keywords"] or []
            changed["keywords"] = [*(current["keywords"] or []), *new_keywords]
        if changed:
            db.session.execute(update(Study).where(Study.id == study_id).values(**changed))
        if record.values["authors"] and not self._has_authors(study_id):
            db.session.execute(insert(StudyAuthor),
                               [{**a, "study_id": study_id} for a in record.values["authors"]])
            changed["authors"] = previous["authors"] = None
        links = self.link(study_id, record.interventions)
        if not changed and not links:
            return False
        db.session.add(ImportBatchItem(
            batch=self.batch, record_number=record.number, action="merged", study_id=study_id,
            method=match.method, score=match.score, changed_fields=sorted(changed),
            previous_values=previous, link_ids=links, decided_by_id=decided_by_id))
        return True

    def _has_authors(self, study_id: int) -> bool:
        count = db.session.scalar(
            select(func.count()).select_from(StudyAuthor).where(StudyAuthor.study_id == study_id))
        return bool(count)

    def pend(self, record: ValidRecord, match: Match, study_id: int) -> None:
        """Keep a probable duplicate for a person's decision."""
        db.session.add(PendingDuplicate(
            batch=self.batch, record_number=record.number, record=_json_record(record),
            interventions=record.interventions, candidate_study_id=study_id,
            method=match.method, score=match.score))


def _json_record(record: ValidRecord) -> dict[str, Any]:
    values = dict(record.values)
    values["findings"] = [
        {k: (float(v) if k in ("effect_size", "ci_lower", "ci_upper") and v is not None else v)
         for k, v in finding.items()}
        for finding in values.get("findings") or []
    ]
    return {"number": record.number, "line": record.line, "values": values,
            "title_key": record.title_key, "author_key": record.author_key}


def record_from_json(data: dict[str, Any]) -> ValidRecord:
    """The ValidRecord a PendingDuplicate stored."""
    return ValidRecord(data["number"], data["line"], data["values"], [],
                       data["title_key"], data["author_key"])
