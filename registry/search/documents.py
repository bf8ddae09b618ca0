"""The search document: what it holds, from which rows, and which records the public may find.

Documents are read with Core selects a batch at a time (one query for the records, one
for their tags), not as ORM objects: a full rebuild of 100k records reads rows, not
object graphs.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import find_tables

from registry.evidence import STATUS_RANK
from registry.models import (
    EvidenceDecision,
    ExternalRating,
    Intervention,
    InterventionVersion,
    PracticeExperience,
    VocabularyTerm,
)
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES, version_tags
from registry.services.effects import EvidenceSummary, evidence_summaries, rating_statements
from search_index.analysis import SECTION_BREAK, fold
from search_index.schema import build_schema

_Source = aliased(VocabularyTerm)  # the clearinghouse of an ExternalRating
_Municipality = aliased(VocabularyTerm)  # where a practice experience took place

# Every facet a search can filter and count on: the evidence status, the ladder rungs an
# intervention covers, and every vocabulary that tags an intervention version.
FACETS: tuple[str, ...] = ("level", "ladder_rung", *INTERVENTION_TAG_VOCABULARIES,
                           "outcome_domain", "study_design", "clearinghouse",
                           "positive_effect", "applied_province", "applied_municipality")

# Facets whose values are codes of another vocabulary (for their labels).
FACET_VOCABULARY = {"applied_province": "region", "applied_municipality": "municipality",
                    "positive_effect": "outcome_domain"}


def schema():
    """The index schema of these documents (the engine's fields and our facets)."""
    return build_schema(FACETS)

_BODY_FIELDS = (
    "main_aim",
    "target_group_text",
    "approach",
    "duration",
    "intensity",
    "setting_text",
    "availability_text",
    "implementation_conditions",
    "manual_and_materials",
    "cost_notes",
)
_V = InterventionVersion.__table__.c
_D = EvidenceDecision.__table__.c
_COLUMNS = (
    Intervention.id,
    _V.id.label("version_id"),
    _V.title,
    _V.summary,
    _V.sub_aims,
    _V.active_elements,
    _V.ladder_rung_min,
    _V.ladder_rung_max,
    *(getattr(_V, name) for name in _BODY_FIELDS),
    _D.outcome,
    _D.expired_at,
    _D.decided_on,
)


def _public_rows():
    return (
        select(*_COLUMNS)
        .join(InterventionVersion, Intervention.published_version_id == _V.id)
        .outerjoin(EvidenceDecision, Intervention.current_decision_id == _D.id)
    )


def _tag_rows():
    return (
        select(version_tags.c.version_id, VocabularyTerm.vocabulary, VocabularyTerm.code,
               VocabularyTerm.label_nl)
        .join(VocabularyTerm, VocabularyTerm.id == version_tags.c.term_id)
        .order_by(version_tags.c.version_id, VocabularyTerm.position, VocabularyTerm.id)
    )


def _crosswalk_rows():
    # The clearinghouses that rated an intervention: the "clearinghouse" facet.
    return (select(ExternalRating.intervention_id, _Source.code)
            .join(_Source, _Source.id == ExternalRating.source_id))


def _experience_rows():
    # Where published practice experiences took place: the "toegepast in" facets.
    return (select(PracticeExperience.intervention_id, _Municipality.code,
                   _Municipality.broader_code)
            .join(_Municipality, _Municipality.id == PracticeExperience.municipality_id)
            .where(PracticeExperience.status == "published"))


def tables_read() -> set[str]:
    """Every table a document is read from: a change to any of them may change documents
    (registry/search/changes.py must say which; a test holds it to that)."""
    return {
        # An aliased table (the study's design term) counts as the table it aliases.
        getattr(table, "element", table).name
        # rating_statements: the findings of finished effect studies (the facets
        # outcome_domain, study_design and positive_effect) and the panel's ratings.
        for stmt in (_public_rows(), _tag_rows(), _crosswalk_rows(), _experience_rows(),
                     *rating_statements())
        for table in find_tables(stmt, check_columns=True, include_joins=False)
    }


@lru_cache(maxsize=64)
def _record_type(names: tuple[str, ...]) -> type:
    return namedtuple("Record", names, rename=True)


def plain_rows(result) -> list:
    """A result's rows as named tuples. Reading a column of SQLAlchemy's Row by name costs
    about 0.45 µs, of a named tuple 0.04 µs; a document reads about a hundred, and a
    rebuild reads every document (bench/README.md, "Full rebuild of 100k")."""
    record = _record_type(tuple(result.keys()))
    return [record._make(row) for row in result]


Tag = namedtuple("Tag", "vocabulary code label_nl")


def _tags(session: Session, version_ids: list[int]) -> dict[int, list[Tag]]:
    stmt = _tag_rows().where(version_tags.c.version_id.in_(version_ids))
    tags: dict[int, list[Tag]] = defaultdict(list)
    # Through the connection: plain rows, without the ORM's result processing.
    for version_id, vocabulary, code, label_nl in session.connection().execute(stmt):
        tags[version_id].append(Tag(vocabulary, code, label_nl))
    return tags


def _status(row) -> str:
    if row.outcome is None:
        return "not_assessed"
    return "expired" if row.expired_at is not None else row.outcome


def _rest(row, tags: list) -> str:
    parts = [getattr(row, name) or "" for name in _BODY_FIELDS]
    parts.extend(row.sub_aims or [])
    parts.extend(row.active_elements or [])
    # Tag labels too, so free text such as "statushouders" finds tagged records.
    parts.extend(tag.label_nl for tag in tags)
    return "\n".join(p for p in parts if p)


def _crosswalk(session: Session, ids: list[int]) -> dict[int, set[str]]:
    stmt = _crosswalk_rows().where(ExternalRating.intervention_id.in_(ids))
    found: dict[int, set[str]] = defaultdict(set)
    for intervention_id, code in session.connection().execute(stmt):
        found[intervention_id].add(code)
    return found


def _places(session: Session, ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
    """Intervention id -> (provinces, municipalities) of its published experiences."""
    stmt = _experience_rows().where(PracticeExperience.intervention_id.in_(ids))
    found: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for intervention_id, municipality, province in session.connection().execute(stmt):
        found[intervention_id][1].add(municipality)
        if province:
            found[intervention_id][0].add(province)
    return found


def _facets(row, tags: list, status: str, domains, designs, sources,
            places=((), ()), positive=()) -> dict[str, str]:
    values: dict[str, list[str]] = {v: [] for v in INTERVENTION_TAG_VOCABULARIES}
    for tag in tags:
        if tag.vocabulary in values:
            values[tag.vocabulary].append(tag.code)
    facets = {name: " ".join(codes) for name, codes in values.items()}
    rungs = range(row.ladder_rung_min, row.ladder_rung_max + 1)
    facets["ladder_rung"] = " ".join(str(r) for r in rungs)
    facets["level"] = status
    facets["outcome_domain"] = " ".join(sorted(domains))
    facets["study_design"] = " ".join(sorted(designs))
    facets["clearinghouse"] = " ".join(sorted(sources))
    # Outcome domains rated (potentially) positive, as the page rates them: the facet
    # "Positief effect op" and the profile ranking's evidence in the goal's domain.
    facets["positive_effect"] = " ".join(sorted(positive))
    facets["applied_province"] = " ".join(sorted(places[0]))
    facets["applied_municipality"] = " ".join(sorted(places[1]))
    return facets


def to_document(row, tags: list, domains=(), designs=(), sources=(),
                places=((), ()), positive=()) -> dict:
    """The index document of one public record row and its tags (digest included).

    All text goes into one field, title, summary and the rest separated by SECTION_BREAK
    so the analyzer can weight them (see analysis.SectionAnalyzer).
    """
    status = _status(row)
    doc = {
        "id": str(row.id),
        "text": SECTION_BREAK.join((row.title, row.summary or "", _rest(row, tags))),
        "title_prefix": row.title,
        "spelling": f"{row.title}\n{row.summary or ''}",
        "title_sort": fold(row.title),
        # Sort order of evidence: the one rank table of list pages and search.
        "level_rank": STATUS_RANK.get(status, 0),
        "decided": row.decided_on.toordinal() if row.decided_on is not None else 0,
        "rung_min": row.ladder_rung_min,
        "rung_max": row.ladder_rung_max,
        **_facets(row, tags, status, domains, designs, sources, places, positive),
    }
    doc["digest"] = document_digest(doc)
    return doc


def document_digest(doc: dict) -> str:
    """A short fingerprint of a document's content, to spot stale index entries."""
    content = {k: v for k, v in doc.items() if k != "digest"}
    raw = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]


_NO_EVIDENCE = EvidenceSummary(set(), set(), set())


def _documents(session: Session, rows: list) -> list[dict]:
    tags = _tags(session, [row.version_id for row in rows])
    ids = [row.id for row in rows]
    evidence, crosswalk = evidence_summaries(session, ids), _crosswalk(session, ids)
    places = _places(session, ids)
    documents = []
    for row in rows:
        found = evidence.get(row.id, _NO_EVIDENCE)
        documents.append(to_document(
            row, tags.get(row.version_id, []), found.domains, found.designs,
            crosswalk.get(row.id, ()), places.get(row.id, ((), ())), found.positive))
    return documents


def public_documents(session: Session, ids: Iterable[int]) -> dict[int, dict]:
    """Documents of those of these interventions that are public (others are absent)."""
    wanted = sorted(set(ids))
    found: dict[int, dict] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = _public_rows().where(Intervention.id.in_(chunk))
        rows = plain_rows(session.connection().execute(stmt))
        docs = _documents(session, rows)
        found.update((row.id, doc) for row, doc in zip(rows, docs, strict=True))
    return found


def public_ids(session: Session) -> list[int]:
    """The ids of every public intervention, ascending."""
    stmt = (
        select(Intervention.id)
        .join(InterventionVersion, Intervention.published_version_id == _V.id)
        .order_by(Intervention.id)
    )
    return list(session.connection().execute(stmt).scalars())


def iter_public_batches(
    session: Session, batch: int = 2000, after_id: int = 0, up_to_id: int | None = None
) -> Iterator[list[dict]]:
    """Public interventions' documents with after_id < id <= up_to_id, in id order, as
    lists of up to `batch`."""
    return batches_of(session, _public_rows, Intervention.id, _documents, batch, after_id,
                      up_to_id)


def batches_of(session: Session, rows, id_column, documents, batch: int, after_id: int,
               up_to_id: int | None) -> Iterator[list[dict]]:
    """The documents of rows() with after_id < id_column <= up_to_id, in id order, as
    lists of up to `batch` (documents(session, rows) makes them)."""
    last_id = after_id
    while True:
        stmt = rows().where(id_column > last_id)
        if up_to_id is not None:
            stmt = stmt.where(id_column <= up_to_id)
        found = plain_rows(session.connection().execute(stmt.order_by(id_column).limit(batch)))
        if not found:
            return
        yield documents(session, found)
        last_id = found[-1].id


def iter_public_documents(session: Session, batch: int = 2000) -> Iterator[dict]:
    """Every public intervention's document, in id order, a batch at a time."""
    for documents in iter_public_batches(session, batch):
        yield from documents
