"""The evidence gap map: outcome domains × target groups (or barriers, or ladder rungs),
each cell with the public interventions that have findings on that domain and that
characteristic, the finished effect studies behind them and the best recognition status
among them. Counts come from the search index's facet sets (search_index/grid.py), so a
cell's count is the total of the search its link opens.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from registry.evidence import STATUS_RANK
from registry.extensions import db
from registry.models import InterventionStudy, Study, VocabularyTerm
from registry.services.effects import Design, effect_findings
from search_index import searchers
from search_index.grid import cross
from search_index.view import generation_key

ROWS = "outcome_domain"
COLUMNS = ("target_group", "barrier", "ladder_rung")
FILTERS = ("level", "study_design")
# Best first: the order of the "level" facet's values by strength.
RANKED_STATUSES = tuple(sorted(STATUS_RANK, key=STATUS_RANK.get, reverse=True))
# Maps of the current index generation (every column choice, filter and language): a map
# costs about half a second of CPU at 10k interventions, a cached one nothing. A change
# to a link, study or finding changes an intervention's document, so a new generation.
CACHE_SIZE = 64
_cache: OrderedDict[tuple, EvidenceMap] = OrderedDict()
_studies: dict[tuple, dict] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class MapCell:
    row: str
    column: str
    interventions: int
    studies: int
    best: str | None


@dataclass(frozen=True)
class EvidenceMap:
    rows: list[tuple[str, str]]  # (code, label), in vocabulary order
    columns: list[tuple[str, str]]
    column_facet: str
    filters: dict[str, list[str]]
    cells: list[MapCell]

    def rows_of_cells(self) -> list[tuple[tuple[str, str], list[MapCell]]]:
        """Each row with its cells in column order (for the table); the cells are built
        rows outer, columns inner."""
        width = len(self.columns)
        return [(row, self.cells[i * width:(i + 1) * width])
                for i, row in enumerate(self.rows)]


def _terms(vocabulary: str, english: bool) -> list[tuple[str, str]]:
    label = VocabularyTerm.label_en if english else VocabularyTerm.label_nl
    stmt = (select(VocabularyTerm.code, label)
            .where(VocabularyTerm.vocabulary == vocabulary, VocabularyTerm.is_active)
            .order_by(VocabularyTerm.position, VocabularyTerm.code))
    return [(code, text) for code, text in db.session.execute(stmt)]


def study_designs(english: bool = False) -> list[tuple[str, str]]:
    """The study designs the map can be narrowed to: (code, label), vocabulary order."""
    return _terms("study_design", english)


def _studies_per_domain() -> dict[tuple[int, str], dict[int, str | None]]:
    """(intervention, domain code) -> its finished effect studies with findings there,
    each with its design's code."""
    found: dict[tuple[int, str], dict[int, str | None]] = defaultdict(dict)
    stmt = (effect_findings(InterventionStudy.intervention_id, VocabularyTerm.code, Study.id,
                            Design.code).outerjoin(Design, Design.id == Study.design_id)
            .distinct())
    for intervention_id, code, study_id, design in db.session.execute(stmt):
        found[(intervention_id, code)][study_id] = design
    return dict(found)


def _count_studies(studies, cell, designs: list[str]) -> int:
    """The distinct studies behind a cell's interventions (of these designs, if any)."""
    ids = set()
    for intervention_id in cell.ids:
        for study_id, design in studies.get((intervention_id, cell.row), {}).items():
            if not designs or design in designs:
                ids.add(study_id)
    return len(ids)


def _studies_of(generation: tuple) -> dict[tuple[int, str], dict[int, str | None]]:
    studies = _studies.get(generation)
    if studies is None:
        studies = _studies_per_domain()
        with _lock:
            _studies.clear()
            _studies[generation] = studies
    return studies


def evidence_map(root: Path, column_facet: str, filters: dict[str, list[str]],
                 english: bool = False) -> EvidenceMap:
    """The map with these columns and filters. Raises ValueError for a column facet not
    in COLUMNS and IndexUnavailable without an index."""
    if column_facet not in COLUMNS:
        raise ValueError(column_facet)
    searcher, view = searchers.acquire(root)
    generation = generation_key(searcher)
    key = (generation, column_facet, tuple(sorted((k, tuple(sorted(v)))
                                                  for k, v in filters.items())), english)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    rows = _terms(ROWS, english)
    columns = _terms(column_facet, english)
    cells = cross(view, (ROWS, [code for code, _ in rows]),
                  (column_facet, [code for code, _ in columns]),
                  filters, "level", RANKED_STATUSES)
    studies = _studies_of(generation)
    built = EvidenceMap(rows, columns, column_facet, filters, [
        MapCell(cell.row, cell.column, cell.count,
                _count_studies(studies, cell, filters.get("study_design", [])), cell.best)
        for cell in cells])
    with _lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built
