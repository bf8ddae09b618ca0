"""Bulk writes of synthetic records with Core inserts of many rows and explicit ids.

Used by the generator for catalogues of thousands; the ORM would take hours at 100k.
Explicit ids leave PostgreSQL's sequences behind, so move_sequences_past_ids must
follow, or the next record made through the ORM collides with a generated one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from itertools import islice

from sqlalchemy import bindparam, func, insert, select, text, update

from registry.extensions import db, on_postgresql
from registry.models import (
    EvidenceDecision,
    Finding,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Study,
    StudyAuthor,
    VocabularyTerm,
)
from registry.models.imports import study_keys
from registry.models.vocabulary import version_tags

CHUNK = 2000
# Every table the bulk writers give explicit ids.
_WITH_EXPLICIT_IDS = (Intervention, InterventionVersion, EvidenceDecision, Study, StudyAuthor,
                      InterventionStudy)
_STUDY_KEYS = ("title", "year", "journal", "doi", "abstract", "language", "country",
               "keywords", "publication_type", "quality")


_VERSION_KEYS = ("title", "summary", "main_aim", "sub_aims", "target_group_text",
                 "targets_household", "approach", "duration", "intensity", "setting_text",
                 "active_elements", "ladder_rung_min", "ladder_rung_max", "cost_min_eur",
                 "cost_max_eur", "implementation_conditions", "year_started")


def write_interventions(records: Iterable[dict], owner_ids: dict[str, int]) -> dict[str, int]:
    """Insert interventions with version, tags and decisions; returns their ids by slug."""
    terms = _term_ids()
    ids: dict[str, int] = {}
    for batch in _chunks(records):
        ids.update(_write_chunk(batch, terms, owner_ids))
    return ids


def write_studies(records: Iterable[dict], intervention_ids: dict[str, int]) -> int:
    """Insert studies with authors and links to interventions (ids by slug); returns
    how many."""
    terms = _term_ids()
    count = 0
    for batch in _chunks(records):
        _write_studies(batch, terms, intervention_ids)
        count += len(batch)
    return count


def move_sequences_past_ids() -> None:
    """PostgreSQL: set each id sequence past the highest id (SQLite needs nothing)."""
    if not on_postgresql():
        return
    for model in _WITH_EXPLICIT_IDS:
        table = model.__tablename__
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (model names)
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))


def _chunks(records: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(records)
    while batch := list(islice(iterator, CHUNK)):
        yield batch


def _term_ids() -> dict[tuple[str, str], int]:
    return {(t.vocabulary, t.code): t.id for t in db.session.scalars(select(VocabularyTerm))}


def _write_studies(records: list[dict], terms: dict, intervention_ids: dict[str, int]) -> None:
    first_s, first_a, first_l = (_next_id(m) for m in (Study, StudyAuthor, InterventionStudy))
    studies, authors, links, findings = [], [], [], []
    for offset, record in enumerate(records):
        sid = first_s + offset
        family = record["authors"][0]["family"] if record["authors"] else None
        title_key, author_key = study_keys(record["title"], family)
        studies.append({"id": sid, **{k: record[k] for k in _STUDY_KEYS},
                        "design_id": terms[("study_design", record["design"])],
                        "title_key": title_key, "first_author_key": author_key})
        for position, author in enumerate(record["authors"], start=1):
            authors.append({"id": first_a + len(authors), "study_id": sid, "position": position,
                            "family_name": author["family"], "particle": author["particle"],
                            "given_names": author["given"]})
        for link in record["interventions"]:
            links.append({"id": first_l + len(links), "study_id": sid,
                          "intervention_id": intervention_ids[link["slug"]],
                          "relation": link["relation"]})
        findings += [{**{k: v for k, v in finding.items() if k != "outcome_domain"},
                      "study_id": sid,
                      "outcome_domain_id": terms[("outcome_domain", finding["outcome_domain"])]}
                     for finding in record.get("findings", ())]
    db.session.execute(insert(Study), studies)
    db.session.execute(insert(StudyAuthor), authors)
    if links:
        db.session.execute(insert(InterventionStudy), links)
    if findings:
        db.session.execute(insert(Finding), findings)
    db.session.commit()


def _next_id(model) -> int:
    return db.session.scalar(select(func.coalesce(func.max(model.id), 0))) + 1


def _write_chunk(records: list[dict], terms: dict, owner_ids: dict[str, int]) -> dict[str, int]:
    first_i, first_v, first_d = (_next_id(m) for m in
                                 (Intervention, InterventionVersion, EvidenceDecision))
    interventions, versions, tags, decisions, links = [], [], [], [], []
    for offset, record in enumerate(records):
        iid, vid = first_i + offset, first_v + offset
        interventions.append({"id": iid, "slug": record["slug"],
                              "owner_organisation_id": owner_ids[record["owner"]]})
        versions.append({"id": vid, "intervention_id": iid, "number": 1, "status": "published",
                         **{k: record[k] for k in _VERSION_KEYS}})
        tags.extend({"version_id": vid, "term_id": terms[(vocabulary, code)]}
                    for vocabulary, codes in record["tags"].items() for code in codes)
        link = {"b_id": iid, "b_version": vid, "b_decision": None}
        for decision in record["decisions"]:
            link["b_decision"] = first_d + len(decisions)
            decisions.append(_decision_row(decision, link["b_decision"], iid, vid))
        links.append(link)
    db.session.execute(insert(Intervention), interventions)
    db.session.execute(insert(InterventionVersion), versions)
    db.session.execute(insert(version_tags), tags)
    if decisions:
        db.session.execute(insert(EvidenceDecision), decisions)
    _link_current(links)
    db.session.commit()
    return {row["slug"]: row["id"] for row in interventions}


def _decision_row(record: dict, decision_id: int, iid: int, vid: int) -> dict:
    decided = date.fromisoformat(record["decided_on"])
    valid_until = date.fromisoformat(record["valid_until"])
    return {"id": decision_id, "intervention_id": iid, "version_id": vid,
            "outcome": record["outcome"], "level": record["level"], "decided_on": decided,
            "valid_until": valid_until, "rationale": record["rationale"],
            "conditions": record["conditions"],
            "expired_at": _noon(valid_until) if record["expired"] else None,
            "published_at": _noon(decided)}


def _noon(day: date):
    return datetime.combine(day, time(12), tzinfo=UTC)


def _link_current(links: list[dict]) -> None:
    table = Intervention.__table__
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(published_version_id=bindparam("b_version"),
                current_decision_id=bindparam("b_decision"))
    )
    db.session.connection().execute(stmt, links)
