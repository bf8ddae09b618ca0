"""The evidence gap map: outcome domains × target groups (or barriers, or ladder rungs),
each cell with the public interventions that have findings on that domain and that
characteristic, the finished effect studies behind them and the best recognition status
among them. Counts come from the search index's facet sets (search_index/grid.py), so a
cell's count is the total of the search its link opens. With study designs chosen, a cell
counts only the interventions with a study of those designs on its domain (the index
knows an intervention's domains and designs, not which study found what), so the search
behind it may hold more; the page says so.
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
from registry.services.effects import effect_findings
from search_index import bitsets, searchers
from search_index.grid import Cell, cross
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
_studies: dict[tuple, StudySets] = {}
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


@dataclass(frozen=True)
class StudySets:
    """(intervention, domain code) -> the ids of its finished effect studies with
    findings there, and each study's design code."""

    studies: dict[tuple[int, str], set[int]]
    design_of: dict[int, str | None]

    def count(self, row: str, intervention_ids, designs: list[str]) -> int:
        """The distinct studies behind these interventions on this domain (of these
        designs, if any)."""
        found = set().union(*(self.studies.get((i, row), ()) for i in intervention_ids))
        if not designs:
            return len(found)
        return sum(1 for study_id in found if self.design_of[study_id] in designs)

    def has_design(self, intervention_id: int, row: str, designs: list[str]) -> bool:
        """Whether a study of one of these designs shows the intervention's findings on
        this domain."""
        return any(self.design_of[study_id] in designs
                   for study_id in self.studies.get((intervention_id, row), ()))


def _studies_per_domain() -> StudySets:
    # Plain ids through the connection, no DISTINCT (the sets take out repeats) and the
    # design's code from a small lookup: at 30k studies this read is most of a first
    # map's cost (200 ms with DISTINCT and the join on SQLite, 70 ms without).
    codes = dict(db.session.execute(select(VocabularyTerm.id, VocabularyTerm.code)
                                    .where(VocabularyTerm.vocabulary == "study_design")).all())
    stmt = effect_findings(InterventionStudy.intervention_id, VocabularyTerm.code, Study.id,
                           Study.design_id)
    studies: dict[tuple[int, str], set[int]] = defaultdict(set)
    design_of: dict[int, str | None] = {}
    for intervention_id, code, study_id, design_id in db.session.connection().execute(stmt):
        studies[(intervention_id, code)].add(study_id)
        design_of[study_id] = codes.get(design_id)
    return StudySets(dict(studies), design_of)


def _studies_of(generation: tuple) -> StudySets:
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
    designs = filters.get("study_design", [])
    # The index knows an intervention's domains and its studies' designs, not which study
    # found what: with designs chosen, the cells come from the studies themselves (below).
    cells = cross(view, (ROWS, [code for code, _ in rows]),
                  (column_facet, [code for code, _ in columns]),
                  {k: v for k, v in filters.items() if k != "study_design"}, "level",
                  RANKED_STATUSES)
    studies = _studies_of(generation)
    if designs:
        cells = _of_designs(cells, studies, designs, _statuses(view))
    built = EvidenceMap(rows, columns, column_facet, filters, [
        MapCell(cell.row, cell.column, cell.count,
                studies.count(cell.row, cell.ids, designs), cell.best)
        for cell in cells])
    with _lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def _statuses(view) -> dict[int, str]:
    """Record id -> its recognition status, from the index's level facet."""
    found = {}
    for status, mask in view.values.get("level", {}).items():
        for doc in bitsets.to_ids(mask, view.size):
            found[view.ids[doc]] = status
    return found


def _of_designs(cells: list[Cell], studies: StudySets, designs: list[str],
                status_of: dict[int, str]) -> list[Cell]:
    """Each cell with only the interventions that have a study of these designs with
    findings on the cell's domain (an intervention with an RCT on income and a cohort
    study on paid work is no RCT evidence on paid work), and the best status among them."""
    kept = []
    for cell in cells:
        ids = [i for i in cell.ids if studies.has_design(i, cell.row, designs)]
        found = {status_of.get(i) for i in ids}
        best = next((status for status in RANKED_STATUSES if status in found), None)
        kept.append(Cell(cell.row, cell.column, len(ids), best, ids))
    return kept
