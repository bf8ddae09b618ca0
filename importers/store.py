"""Write what the pipeline decided: add studies in bulk, merge into existing ones, keep
probable duplicates pending, link to interventions. Flushes, never commits.

Studies, authors, findings and batch items go in as Core INSERTs of many rows on the
tables (an import may hold 100k records; the ORM's bulk path cost more than the INSERTs),
and the studies an exact duplicate merges into are read once per chunk. Links to
interventions go through the ORM so the search change log sees them.

The rows go in through registry/bulk_insert.py (executemany; COPY on PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from importers.dedup import Match
from importers.validate import Lookups, ValidRecord
from registry.bulk_insert import insert_rows, insert_with_ids
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
from registry.search.changes import record_studies_written

# Filled from the imported record when the existing study has no value; never overwritten.
MERGE_FIELDS = (
    "year", "journal", "publisher", "volume", "issue", "pages", "doi", "pmid", "url",
    "abstract", "language", "country", "publication_type", "design_id", "n_intervention",
    "n_comparison", "setting", "follow_up_months", "trial_registration", "expected_end",
)  # fmt: skip
_STUDIES = Study.__table__
COLUMN_FIELDS = (*MERGE_FIELDS, "title", "keywords", "quality", "title_key", "first_author_key",
                 "ongoing")


def study_row(record: ValidRecord, lookups: Lookups) -> dict[str, Any]:
    """The studies-table values of a record (design code → id, dedup keys included)."""
    values = dict(record.values)
    values["design_id"] = lookups.designs.get(values.pop("design", None) or "")
    values["title_key"] = record.title_key
    values["first_author_key"] = record.author_key
    return {key: values.get(key) for key in COLUMN_FIELDS} | {
        "keywords": values.get("keywords") or [], "ongoing": bool(values.get("ongoing"))
    }


class Writer:
    """Applies decisions to one batch; counts live on the caller's report."""

    def __init__(self, batch: ImportBatch, lookups: Lookups, link_ids: list[int]):
        self.batch = batch
        self.lookups = lookups
        self.extra_links = link_ids
        # (record, field, value) a merge did not fill because another study holds it.
        self.not_filled: list[tuple[ValidRecord, str, str]] = []

    def add(self, records: list[ValidRecord], decided_by_id: int | None = None) -> list[int]:
        """Insert studies with authors and findings; one item each. Returns the study ids."""
        if not records:
            return []
        # Core executemany on the tables: the ORM bulk path costs more than the INSERT.
        ids = insert_with_ids(_STUDIES, [study_row(r, self.lookups) for r in records])
        authors = [{**a, "study_id": i} for r, i in zip(records, ids, strict=True)
                   for a in r.values["authors"]]
        if authors:
            insert_rows(StudyAuthor.__table__, authors)
        items = [self._item(record, "added", study_id, decided_by_id=decided_by_id,
                            finding_ids=self._findings(record, study_id),
                            link_ids=self.link(study_id, record.interventions))
                 for record, study_id in zip(records, ids, strict=True)]
        insert_rows(ImportBatchItem.__table__, items)
        record_studies_written(db.session, ids)
        return ids

    def _item(self, record: ValidRecord, action: str, study_id: int, **values: Any) -> dict:
        item = {"batch_id": self.batch.id, "record_number": record.number, "action": action,
                "study_id": study_id, "method": None, "score": None, "finding_ids": [],
                "link_ids": [], "changed_fields": [], "previous_values": {},
                "decided_by_id": None}
        return item | values

    def _findings(self, record: ValidRecord, study_id: int) -> list[int]:
        rows = []
        for finding in record.values.get("findings") or []:
            values = {k: v for k, v in finding.items() if k != "outcome_domain"}
            domain_id = self.lookups.outcome_domains[finding["outcome_domain"]]
            rows.append({**values, "study_id": study_id, "outcome_domain_id": domain_id})
        return insert_with_ids(Finding.__table__, rows)

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
        """Fill one study's empty fields from record (see merge_many). Returns whether
        anything changed."""
        return self.merge_many([(record, match, study_id)], decided_by_id) == 1

    def merge_many(self, merges: list[tuple[ValidRecord, Match, int]],
                   decided_by_id: int | None = None) -> int:
        """Fill the studies' empty fields from the records; an item says what changed (for
        undo). Reads every target in one query. Returns how many studies changed (an
        unchanged exact duplicate leaves no item)."""
        if not merges:
            return 0
        targets = {study_id for _, _, study_id in merges}
        current = {row["id"]: dict(row) for row in db.session.execute(
            select(_STUDIES).where(_STUDIES.c.id.in_(targets))).mappings()}
        authored = set(db.session.scalars(select(StudyAuthor.study_id).distinct().where(
            StudyAuthor.study_id.in_(targets))))
        items, authors = [], []
        held = _holders(merges)
        for record, match, study_id in merges:
            changed, previous = _fill(current[study_id], study_row(record, self.lookups))
            for key in UNIQUE_IDENTIFIERS:
                holder = held.get((key, changed.get(key)))
                if key in changed and holder not in (None, study_id):
                    self.not_filled.append((record, key, changed.pop(key)))
                    previous.pop(key, None)
                elif key in changed:
                    held[(key, changed[key])] = study_id
            if changed:
                db.session.execute(update(Study).where(Study.id == study_id).values(**changed))
                current[study_id].update(changed)
            if record.values["authors"] and study_id not in authored:
                authors += [{**a, "study_id": study_id} for a in record.values["authors"]]
                authored.add(study_id)
                changed["authors"] = previous["authors"] = None
            links = self.link(study_id, record.interventions)
            if changed or links:
                items.append(self._item(
                    record, "merged", study_id, method=match.method, score=match.score,
                    changed_fields=sorted(changed), previous_values=previous, link_ids=links,
                    decided_by_id=decided_by_id))
        if authors:
            insert_rows(StudyAuthor.__table__, authors)
        if items:
            insert_rows(ImportBatchItem.__table__, items)
        record_studies_written(db.session, [item["study_id"] for item in items])
        return len(items)

    def pend(self, record: ValidRecord, match: Match, study_id: int) -> None:
        """Keep a probable duplicate for a person's decision."""
        db.session.add(PendingDuplicate(
            batch=self.batch, record_number=record.number, record=_json_record(record),
            interventions=record.interventions, candidate_study_id=study_id,
            method=match.method, score=match.score))


UNIQUE_IDENTIFIERS = ("doi", "pmid")  # unique columns: one study each


def _holders(merges: list[tuple[ValidRecord, Match, int]]) -> dict[tuple[str, str], int]:
    """(field, value) -> the study holding that DOI or PMID, for the records' values."""
    held = {}
    for key in UNIQUE_IDENTIFIERS:
        values = {getattr(record, key) for record, _m, _s in merges} - {None, ""}
        if values:
            column = getattr(Study, key)
            held.update({(key, value): study_id for study_id, value in db.session.execute(
                select(Study.id, column).where(column.in_(values)))})
    return held


def _fill(current: dict[str, Any], incoming: dict[str, Any]) -> tuple[dict, dict]:
    # (changed values, their previous values): empty fields filled, keywords appended.
    changed = {k: incoming[k] for k in MERGE_FIELDS
               if current[k] in (None, "") and incoming[k] not in (None, "")}
    previous: dict[str, Any] = {k: current[k] for k in changed}
    have = current["keywords"] or []
    # As normalise keeps a record's keywords: one per spelling that differs only in case,
    # the first one seen.
    seen = {k.lower() for k in have}
    new_keywords = [k for k in incoming["keywords"] if k.lower() not in seen]
    if new_keywords:
        previous["keywords"] = have
        changed["keywords"] = [*have, *new_keywords]
    return changed, previous


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
