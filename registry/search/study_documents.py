"""The study search document: what a study's index entry holds, and from which rows.

Every study is public. The text is the title, then the abstract, then the rest (authors,
journal, keywords, DOI and PMID), weighted in that order like an intervention's. The
engine's sort fields carry: title_sort the title, `decided` the year (newest first),
`level_rank` the appraisal. Facets: design, year, appraisal, language and whether the
study is linked to an intervention. Read with Core selects a batch at a time, as
registry/search/documents.py reads interventions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import Table, exists, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import find_tables

from registry.models import Intervention, InterventionStudy, Study, StudyAuthor, VocabularyTerm
from registry.search.documents import batches_of, document_digest, plain_rows
from search_index.analysis import SECTION_BREAK, fold
from search_index.schema import build_schema

FACETS: tuple[str, ...] = ("study_design", "year", "appraisal", "language", "linked")
APPRAISAL_RANK = {"high": 3, "moderate": 2, "low": 1}
# The facet value of a study without one (so it can be counted and chosen too).
NONE = "none"


def schema():
    # Abstracts are mostly English: the title and abstract also go into an English field.
    return build_schema(FACETS, english=True)


_S = Study.__table__.c
_design = aliased(VocabularyTerm)
# Linked to a published intervention: a link to a draft or withdrawn one is not shown
# on the study's page, so the facet does not count it either.
_linked = (exists().where(InterventionStudy.study_id == _S.id,
                          Intervention.id == InterventionStudy.intervention_id,
                          Intervention.published_version_id.is_not(None))
           .correlate(Study))


def _rows():
    return (
        select(_S.id, _S.title, _S.abstract, _S.journal, _S.keywords, _S.doi, _S.pmid,
               _S.year, _S.quality, _S.language, _design.code.label("design"),
               _linked.label("linked"))
        .select_from(Study)
        .outerjoin(_design, _design.id == _S.design_id)
    )


def _author_rows():
    return (
        select(StudyAuthor.study_id, StudyAuthor.family_name, StudyAuthor.particle,
               StudyAuthor.given_names)
        .order_by(StudyAuthor.study_id, StudyAuthor.position)
    )


def tables_read() -> set[str]:
    """Every table a study document is read from (registry/search/changes.py's
    STUDY_RULES must cover each; a test holds it to that)."""
    return {
        table.name
        for stmt in (_rows(), _author_rows())
        for table in find_tables(stmt, check_columns=True, include_joins=False)
        if isinstance(table, Table)  # an alias's table is found as itself too
    }


def _authors(session: Session, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    stmt = _author_rows().where(StudyAuthor.study_id.in_(ids))
    for study_id, family_name, particle, given_names in session.connection().execute(stmt):
        family = f"{particle} {family_name}" if particle else family_name
        names[study_id].append(" ".join(p for p in (family, given_names) if p))
    return names


def to_document(row, authors: list[str]) -> dict:
    rest = [*authors, row.journal or "", *(row.keywords or []), row.doi or "", row.pmid or ""]
    doc = {
        "id": str(row.id),
        "text": SECTION_BREAK.join((row.title, row.abstract or "",
                                    "\n".join(p for p in rest if p))),
        "title_prefix": row.title,
        "text_en": f"{row.title}\n{row.abstract or ''}",
        "spelling": f"{row.title}\n{row.abstract or ''}",
        "title_sort": fold(row.title),
        "level_rank": APPRAISAL_RANK.get(row.quality or "", 0),
        "decided": row.year or 0,
        "rung_min": 0,
        "rung_max": 0,
        "study_design": row.design or NONE,
        "year": str(row.year) if row.year else NONE,
        "appraisal": row.quality or NONE,
        "language": (row.language or NONE).lower(),
        "linked": "yes" if row.linked else "no",
    }
    doc["digest"] = document_digest(doc)
    return doc


def _documents(session: Session, rows: list) -> list[dict]:
    authors = _authors(session, [row.id for row in rows])
    return [to_document(row, authors.get(row.id, [])) for row in rows]


def public_documents(session: Session, ids: Iterable[int]) -> dict[int, dict]:
    """Documents of those of these studies that exist (others are absent)."""
    wanted = sorted(set(ids))
    found: dict[int, dict] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = plain_rows(session.connection().execute(_rows().where(_S.id.in_(chunk))))
        found.update((row.id, doc) for row, doc in zip(rows, _documents(session, rows),
                                                       strict=True))
    return found


def public_ids(session: Session) -> list[int]:
    return list(session.connection().execute(select(_S.id).order_by(_S.id)).scalars())


def iter_public_batches(
    session: Session, batch: int = 2000, after_id: int = 0, up_to_id: int | None = None
) -> Iterator[list[dict]]:
    """Studies' documents with after_id < id <= up_to_id, in id order, `batch` at a time."""
    return batches_of(session, _rows, _S.id, _documents, batch, after_id, up_to_id)


def iter_public_documents(session: Session, batch: int = 2000) -> Iterator[dict]:
    for documents in iter_public_batches(session, batch):
        yield from documents
