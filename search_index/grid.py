"""Two facets crossed (the evidence gap map): per pair of values, the documents that have
both, with the filters applied, and the best value of a ranking facet among them.

The same sets as the search (query.filter_masks): a cell's count is the total of a search
with the cell's two values added to the filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from search_index import bitsets
from search_index.query import filter_masks
from search_index.view import IndexView


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    count: int
    best: str | None  # the first of `ranked` that a document of the cell has
    ids: list[int]  # the record ids of the cell's documents


def cross(view: IndexView, rows: tuple[str, Sequence[str]], columns: tuple[str, Sequence[str]],
          filters: dict[str, list[str]], rank_facet: str, ranked: Sequence[str]) -> list[Cell]:
    """One cell per (row value, column value), rows outer; `rows` and `columns` are
    (facet, values in display order)."""
    base = view.live
    for mask in filter_masks(view, filters).values():
        base &= mask
    row_facet, row_values = rows
    column_facet, column_values = columns
    rank_masks = [(value, view.values.get(rank_facet, {}).get(value, 0)) for value in ranked]
    cells = []
    for row in row_values:
        row_mask = base & view.values.get(row_facet, {}).get(row, 0)
        for column in column_values:
            mask = row_mask & view.values.get(column_facet, {}).get(column, 0)
            best = next((value for value, ranking in rank_masks if mask & ranking), None)
            ids = [view.ids[doc] for doc in bitsets.to_ids(mask, view.size)] if mask else []
            cells.append(Cell(row, column, mask.bit_count(), best, ids))
    return cells
