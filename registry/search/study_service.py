"""Searching the studies: title, abstract, authors, journal, keywords, DOI and PMID, with
facets for design, year, appraisal, language and whether a study is linked to an
intervention (the index of registry/search/study_documents.py). The list page and the
API's /studies call this when a text or a filter is given."""

from __future__ import annotations

from pathlib import Path

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from registry.extensions import db
from registry.models import Study
from registry.search.kinds import STUDIES
from registry.search.labels import study_facet_groups
from registry.services.catalogue import Page
from registry.services.vocabularies import terms_by_code
from search_index import searchers
from search_index.query import FacetValue, SearchRequest, run_search

# The list's sort keys the index can order by, and the engine's names for them.
SEARCH_SORTS = {"relevance": "relevance", "-year": "decided", "title": "title"}
MAX_VALUES = 20  # values per facet in one request


def search_studies(index_dir: Path | str, text: str, filters: dict[str, list[str]],
                   sort: str, page: int, per_page: int
                   ) -> tuple[Page[Study], dict[str, list[FacetValue]]]:
    """One page of studies for this text and these facet values (OR within a facet, AND
    across), in SEARCH_SORTS order, and the facet counts. Raises IndexUnavailable."""
    searcher, view = searchers.acquire(STUDIES.root(index_dir))
    chosen = {name: values[:MAX_VALUES] for name, values in filters.items()
              if name in STUDIES.facets and values}
    request = SearchRequest(text=text, filters=chosen, sort=SEARCH_SORTS[sort], page=page,
                            per_page=per_page, suggest=False)  # the page shows none
    result = run_search(searcher, view, request)
    ids = [study_id for study_id, _score in result.hits]
    loaded = {study.id: study for study in db.session.scalars(
        select(Study).where(Study.id.in_(ids))
        .options(selectinload(Study.authors), joinedload(Study.design)))} if ids else {}
    items = [loaded[i] for i in ids if i in loaded]
    return Page(items, page, per_page, result.total), result.facets


def facet_groups(facets: dict[str, list[FacetValue]]) -> list[dict]:
    """The facets with labels in the reader's language (for the page and the API)."""
    locale = str(get_locale())
    designs = {code: term.label(locale) for code, term in terms_by_code("study_design").items()}
    return study_facet_groups(facets, designs)
