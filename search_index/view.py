"""What a searcher generation knows for fast facets and sorting, reused until it changes.

A view holds one document set per facet value and the sort orders; it is cached per
index generation. It is assembled from per-segment data (segments.SEGMENTS), so after
a change only the new segment is read, not the whole index.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search_index import bitsets
from search_index.bm25 import K1, B
from search_index.schema import facet_names
from search_index.segments import SEGMENTS, SegmentData


@dataclass
class IndexView:
    size: int
    live: int
    values: dict[str, dict[str, int]]
    ids: list[int]
    title_rank: list[int]
    level_rank: list[int]
    orders: dict[str, list[int]]
    positions: dict[str, list[int]]
    facets: tuple[str, ...] = ()
    # Each segment's data, in the order of the readers' leaves, for term sets.
    segments: list[SegmentData] = field(default_factory=list, repr=False)
    _norms: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _level_masks: dict[int, int] | None = field(default=None, repr=False)
    # Arrays derived from this generation (search_index/arrays.py), built on first use.
    arrays: dict = field(default_factory=dict, repr=False)

    def level_masks(self) -> dict[int, int]:
        """The documents of each evidence rank (the level_rank column), built once."""
        if self._level_masks is None:
            docs: dict[int, list[int]] = {}
            for doc, rank in enumerate(self.level_rank):
                docs.setdefault(rank, []).append(doc)
            self._level_masks = {rank: bitsets.from_ids(ids, self.size)
                                 for rank, ids in docs.items()}
        return self._level_masks

    def norms(self, searcher: Searcher, fieldname: str) -> list[float]:
        """Per document: BM25's K1 * (1 - B + B * length / average length) in a field."""
        found = self._norms.get(fieldname)
        if found is None:
            average = searcher.avg_field_length(fieldname) or 1
            leaves = searcher.reader().leaf_readers()
            found = []
            for (reader, _), data in zip(leaves, self.segments, strict=True):
                lengths = data.field_lengths(reader, fieldname)
                found += [K1 * (1 - B + B * n / average) for n in lengths]
            self._norms[fieldname] = found
        return found

    def term_mask(self, searcher: Searcher, fieldname: str, text) -> int:
        """The documents containing this term (deleted ones included: AND with live).

        Postings are read through the caller's own searcher: readers are not
        thread-safe, the segment data (and its term cache) is shared.
        """
        mask = 0
        leaves = searcher.reader().leaf_readers()
        for (reader, offset), data in zip(leaves, self.segments, strict=True):
            mask |= data.term_mask(reader, fieldname, text) << offset
        return mask


def _positions(order: list[int], size: int) -> list[int]:
    position = [0] * size
    for rank, doc in enumerate(order):
        position[doc] = rank
    return position


def _live(reader, offset: int, size: int) -> int:
    mask = (1 << size) - 1
    for doc in reader.deleted_docs_set if reader.has_deletions() else ():
        mask &= ~(1 << doc)
    return mask << offset


def _merge_values(parts: list[tuple[int, SegmentData]]) -> dict[str, dict[str, int]]:
    values: dict[str, dict[str, int]] = {}
    for offset, data in parts:
        for facet, sets in data.values.items():
            merged = values.setdefault(facet, {})
            for value, mask in sets.items():
                merged[value] = merged.get(value, 0) | mask << offset
    return values


def _orders(title_sort: list[str], level: list[int], decided: list[int]) -> dict:
    size = len(title_sort)
    by_title = sorted(range(size), key=title_sort.__getitem__)
    # Stable sorts of the title order with C-level keys (a list's __getitem__), no lambda:
    # rebuilt after every change, so they are on the path of "searchable within 1 s".
    highest_level = [-rank for rank in level]
    latest = [-day for day in decided]
    return {
        "title": by_title,
        "level": sorted(by_title, key=highest_level.__getitem__),
        "decided": sorted(by_title, key=latest.__getitem__),
    }


def build_view(searcher: Searcher) -> IndexView:
    """Assemble the view of this searcher's index from its segments' data."""
    reader = searcher.reader()
    folder = searcher._ix.storage.folder
    leaves = [
        (leaf, offset, SEGMENTS.get(folder, leaf)) for leaf, offset in reader.leaf_readers()
    ]
    size = reader.doc_count_all()
    live = 0
    ids, title_sort, level, decided = [], [], [], []
    for leaf, offset, data in leaves:
        live |= _live(leaf, offset, data.size)
        ids += data.ids
        title_sort += data.title_sort
        level += data.level_rank
        decided += data.decided
    orders = _orders(title_sort, level, decided)
    positions = {name: _positions(order, size) for name, order in orders.items()}
    return IndexView(
        size=size,
        live=live,
        values=_merge_values([(offset, data) for _, offset, data in leaves]),
        ids=ids,
        title_rank=positions["title"],
        level_rank=level,
        orders=orders,
        positions=positions,
        facets=facet_names(searcher.schema),
        segments=[data for _, _, data in leaves],
    )


def generation_key(searcher: Searcher) -> tuple:
    """Identifies the exact index state a searcher sees: its folder, TOC generation and
    the segments it reads with their deletions (a view is only valid for exactly those)."""
    leaves = searcher.reader().leaf_readers()
    segments = tuple(
        (leaf.segment().segment_id(), leaf.segment().deleted_count())
        for leaf, _ in leaves
        if leaf.segment() is not None
    )
    return (searcher._ix.storage.folder, searcher.reader().generation(), segments)


class ViewCache:
    """The newest view of each index (its generations' folders share a parent), shared
    by all threads of a process.

    A new view replaces the views of its own index only: a commit to the study index
    must not throw away the interventions' view (and the other way round), which every
    search of that kind would then wait to build again (270 ms for 100k studies with
    their segments cached). A view is built outside the cache's lock, once however many
    threads want it, so searches of other generations never wait for it.
    """

    def __init__(self, capacity: int = 6):
        self.capacity = capacity  # a bound beyond one view per index, never reached
        self._views: OrderedDict[tuple, IndexView] = OrderedDict()
        self._building: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, searcher: Searcher) -> IndexView:
        """The view for this searcher's generation, built on first use."""
        key = generation_key(searcher)
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                return view
            building = self._building.setdefault(key, threading.Lock())
        with building:  # the other threads that want this key wait for its build
            with self._lock:
                view = self._views.get(key)
            if view is None:
                try:
                    view = build_view(searcher)
                    self._keep(key, view)
                finally:
                    with self._lock:
                        self._building.pop(key, None)
            return view

    def _keep(self, key: tuple, view: IndexView) -> None:
        index = os.path.dirname(key[0])
        with self._lock:
            for other in [k for k in self._views if os.path.dirname(k[0]) == index]:
                del self._views[other]
            self._views[key] = view
            while len(self._views) > self.capacity:
                self._views.popitem(last=False)


VIEWS = ViewCache()
