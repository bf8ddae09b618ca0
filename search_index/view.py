"""What a searcher generation knows for fast facets and sorting, built once and reused.

A view holds one document set per facet value and the sort orders; it is cached per
index generation (the readers' segments), so it is rebuilt only when the index changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from whoosh.searching import Searcher

from search_index import bitsets
from search_index.schema import FACETS


@dataclass
class IndexView:
    size: int
    live: int
    values: dict[str, dict[str, int]]
    ids: list[int]
    title_rank: list[int]
    level_rank: list[int]
    decided: list[int]
    rung_min: list[int]
    rung_max: list[int]
    orders: dict[str, list[int]]
    positions: dict[str, list[int]]

    def docnum_of(self, intervention_id: int) -> int | None:
        return self._docnums.get(intervention_id)

    def __post_init__(self):
        live = bitsets.to_bytes(self.live, self.size)
        self._docnums = {
            i: d for d, i in enumerate(self.ids) if i and bitsets.contains(live, d)
        }


def _column(reader, field: str, default=0) -> list:
    if reader.doc_count_all() == 0:
        return []
    values = list(reader.column_reader(field))
    return [default if v is None else v for v in values]


def _facet_values(reader, size: int) -> dict[str, dict[str, int]]:
    values: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        values[facet] = {}
        for term in reader.lexicon(facet):
            text = term.decode() if isinstance(term, bytes) else term
            ids = reader.postings(facet, term).all_ids()
            values[facet][text] = bitsets.from_ids(ids, size)
    return values


def _positions(order: list[int], size: int) -> list[int]:
    position = [0] * size
    for rank, doc in enumerate(order):
        position[doc] = rank
    return position


def build_view(searcher: Searcher) -> IndexView:
    """Read the per-value document sets, ids and sort keys of this searcher's index."""
    reader = searcher.reader()
    size = reader.doc_count_all()
    title_sort = _column(reader, "title_sort", "")
    level = _column(reader, "level_rank")
    decided = _column(reader, "decided")
    by_title = sorted(range(size), key=title_sort.__getitem__)
    orders = {
        "title": by_title,
        "level": sorted(by_title, key=lambda d: -level[d]),
        "decided": sorted(by_title, key=lambda d: -decided[d]),
    }
    positions = {name: _positions(order, size) for name, order in orders.items()}
    return IndexView(
        size=size,
        live=bitsets.from_ids(reader.all_doc_ids(), size),
        values=_facet_values(reader, size),
        ids=[int(v) if v else 0 for v in _column(reader, "id", "")],
        title_rank=positions["title"],
        level_rank=level,
        decided=decided,
        rung_min=_column(reader, "rung_min"),
        rung_max=_column(reader, "rung_max"),
        orders=orders,
        positions=positions,
    )


def generation_key(searcher: Searcher) -> tuple:
    """Identifies the exact index state a searcher sees: its folder and TOC generation."""
    return (searcher._ix.storage.folder, searcher.reader().generation())


class ViewCache:
    """Views of the last few index generations, shared by all threads of a process."""

    def __init__(self, capacity: int = 2):
        self.capacity = capacity
        self._views: OrderedDict[tuple, IndexView] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, searcher: Searcher) -> IndexView:
        """The view for this searcher's generation, built on first use."""
        key = generation_key(searcher)
        with self._lock:
            view = self._views.get(key)
            if view is None:
                view = build_view(searcher)
                self._views[key] = view
                while len(self._views) > self.capacity:
                    self._views.popitem(last=False)
            return view


VIEWS = ViewCache()
