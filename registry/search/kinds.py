"""The kinds of search document: interventions and studies. Each has its own index
folder (a replica of its own in the change log) and its own entity_type in the change
log; the sync, rebuild and verification (registry/search/sync.py) work on one kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from registry.search import documents, study_documents


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the change log's entity_type
    facets: tuple[str, ...]
    schema: Callable[[], object]
    documents: Callable[[Session, Iterable[int]], dict[int, dict]]
    ids: Callable[[Session], list[int]]
    batches: Callable[..., Iterator[list[dict]]]
    all_documents: Callable[[Session], Iterator[dict]]
    folder_suffix: str  # appended to INDEX_DIR's name ("" for interventions)

    def root(self, index_dir: Path | str) -> Path:
        """This kind's index folder beside INDEX_DIR (INDEX_DIR itself for interventions,
        so existing deployments keep their folder)."""
        index_dir = Path(index_dir)
        return index_dir.with_name(index_dir.name + self.folder_suffix)


INTERVENTIONS = DocumentKind(
    "intervention", documents.FACETS, documents.schema, documents.public_documents,
    documents.public_ids, documents.iter_public_batches, documents.iter_public_documents,
    "")
STUDIES = DocumentKind(
    "study", study_documents.FACETS, study_documents.schema,
    study_documents.public_documents, study_documents.public_ids,
    study_documents.iter_public_batches, study_documents.iter_public_documents, "-studies")
KINDS = (INTERVENTIONS, STUDIES)
