"""The evidence gap map: outcome domains × target groups (or barriers, or ladder rungs),
each cell with the public interventions that have findings on that domain and that
characteristic, the finished effect studies behind them and the best recognition status
among them. Counts come from the search index's facet sets (search_index/grid.py), so a
cell's count is the total of the search its link opens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import false, select

from registry.evidence import STATUS_RANK
from registry.extensions import db
from registry.models import Finding, InterventionStudy, Study, VocabularyTerm
from search_index import searchers
from search_index.grid import cross

ROWS = "outcome_domain"
COLUMNS = ("target_group", "barrier", "ladder_rung")
FILTERS = ("level",)
# Best first: the order of the "level" facet's values by strength.
RANKED_STATUSES = tuple(sorted(STATUS_RANK, key=STATUS_RANK.get, reverse=True))


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

    def cell(self, row: str, column: str) -> MapCell:
        return self._by_key[(row, column)]

    @property
    def _by_key(self) -> dict[tuple[str, str], MapCell]:
        return {(c.row, c.column): c for c in self.cells}

    def rows_of_cells(self) -> list[tuple[tuple[str, str], list[MapCell]]]:
        """Each row with its cells in column order (for the table)."""
        by_key = self._by_key
        return [(row, [by_key[(row[0], column[0])] for column in self.columns])
                for row in self.rows]


def _terms(vocabulary: str, english: bool) -> list[tuple[str, str]]:
    label = VocabularyTerm.label_en if english else VocabularyTerm.label_nl
    stmt = (select(VocabularyTerm.code, label)
            .where(VocabularyTerm.vocabulary == vocabulary, VocabularyTerm.is_active)
            .order_by(VocabularyTerm.position, VocabularyTerm.code))
    return [(code, text) for code, text in db.session.execute(stmt)]


def _studies_per_domain(intervention_ids: set[int]) -> dict[tuple[int, str], set[int]]:
    """(intervention, domain code) -> its finished effect studies with findings there."""
    found: dict[tuple[int, str], set[int]] = defaultdict(set)
    if not intervention_ids:
        return found
    stmt = (select(InterventionStudy.intervention_id, VocabularyTerm.code, Study.id)
            .join(Study, Study.id == InterventionStudy.study_id)
            .join(Finding, Finding.study_id == Study.id)
            .join(VocabularyTerm, VocabularyTerm.id == Finding.outcome_domain_id)
            .where(InterventionStudy.relation == "effect", Study.ongoing == false())
            .distinct())
    for intervention_id, code, study_id in db.session.execute(stmt):
        if intervention_id in intervention_ids:
            found[(intervention_id, code)].add(study_id)
    return found


def evidence_map(root: Path, column_facet: str, filters: dict[str, list[str]],
                 english: bool = False) -> EvidenceMap:
    """The map with these columns and filters. Raises ValueError for a column facet not
    in COLUMNS and IndexUnavailable without an index."""
    if column_facet not in COLUMNS:
        raise ValueError(column_facet)
    rows = _terms(ROWS, english)
    columns = _terms(column_facet, english)
    _searcher, view = searchers.acquire(root)
    cells = cross(view, (ROWS, [code for code, _ in rows]),
                  (column_facet, [code for code, _ in columns]),
                  filters, "level", RANKED_STATUSES)
    studies = _studies_per_domain({i for cell in cells for i in cell.ids})
    return EvidenceMap(rows, columns, column_facet, filters, [
        MapCell(cell.row, cell.column, cell.count,
                len(set().union(*(studies.get((i, cell.row), set()) for i in cell.ids))),
                cell.best)
        for cell in cells])
