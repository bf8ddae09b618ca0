"""What one index segment contributes to fast search, read once and kept while it lives.

A segment's postings never change (deletions are kept apart), so its facet value sets,
column values and term sets stay valid until a merge replaces the segment. After a
change only the new small segment is read; the large one is reused.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from search_index import bitsets
from search_index.postings_arrays import PostingsArrays, open_arrays, scored_fields
from search_index.schema import facet_names

# Term sets kept per segment (most recently used): as many as fit TERM_CACHE_BYTES (a
# set takes a bit per document of the segment), at most TERM_CACHE_MAX. Hundreds of
# different queries a minute each need a few; 512 terms, the old bound, was spent by a
# hundred two-word queries and every later query decoded its postings again.
TERM_CACHE_BYTES = 32 * 2**20
TERM_CACHE_MAX = 20_000
# Decoded postings kept per segment, counted in postings (8 bytes each): about 16 MB.
POSTINGS_BUDGET = 2_000_000


def raw_postings(reader, fieldname: str, text):
    """A term's postings in one segment, deleted documents included.

    A segment with deletions wraps its postings in a FilterMatcher that skips them one
    call per posting; callers here AND with the live set instead, so unwrap it.
    """
    matcher = reader.postings(fieldname, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def posting_ids(matcher) -> list[int]:
    """Every document number of a term's postings, read a block at a time (no scoring)."""
    if not isinstance(matcher, W3LeafMatcher):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        matcher._read_ids()  # one decoded block of ids; no per-posting method calls
        ids.extend(matcher._ids)
        matcher._next_block()
    return ids


def decode_blocks(matcher) -> list[tuple]:
    """(highest id, ids, weights) per postings block, as compact arrays."""
    blocks = []
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term info
        ids, weights = array("I"), array("f")
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return [(ids[-1], ids, weights)] if ids else []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        blocks.append((matcher._maxid, array("I", matcher._ids), array("f", matcher._weights)))
        matcher._next_block()
    return blocks


def _bytes(text) -> bytes:
    return text.encode() if isinstance(text, str) else text


def _column(reader, name: str, default=0) -> list:
    if reader.doc_count_all() == 0:
        return []
    return [default if v is None else v for v in reader.column_reader(name)]


@dataclass
class SegmentData:
    """Per-segment facet sets (bit n = the segment's document n) and column values."""

    size: int
    values: dict[str, dict[str, int]]
    ids: list[int]
    title_sort: list[str]
    level_rank: list[int]
    decided: list[int]
    terms: OrderedDict = field(default_factory=OrderedDict)
    lengths: dict[str, list[int]] = field(default_factory=dict)
    blocks: OrderedDict = field(default_factory=OrderedDict)
    cached_postings: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The postings of the scored fields as arrays, when the bulk writer wrote them.
    postings_arrays: PostingsArrays | None = None
    _spelling_words: list[str] | None = None

    def spelling_words(self, read) -> list[str]:
        """The segment's spelling words, sorted (search_index/spelling.py): read() once."""
        if self._spelling_words is None:
            self._spelling_words = read()
        return self._spelling_words

    def posting_blocks(self, reader, fieldname: str, text) -> list[tuple]:
        """A term's postings as (highest id, ids, weights) blocks: one block sliced from
        the segment's postings arrays when it has them, else Whoosh's blocks decoded once.

        Decoding (unpickle, inflate) costs more than scoring; the frequent words of
        queries ("werk") are decoded once per segment instead of on every search.
        """
        if self.postings_arrays and fieldname in self.postings_arrays.fields:
            ids, weights = self.postings_arrays.postings(fieldname, _bytes(text))
            return [(int(ids[-1]), ids, weights)] if len(ids) else []
        key = (fieldname, text)
        with self.lock:
            found = self.blocks.get(key)
            if found is not None:
                self.blocks.move_to_end(key)
                return found
        found = decode_blocks(raw_postings(reader, fieldname, text))
        size = sum(len(ids) for _, ids, _ in found)
        with self.lock:
            self.blocks[key] = found
            self.cached_postings += size
            while self.cached_postings > POSTINGS_BUDGET and len(self.blocks) > 1:
                _, old = self.blocks.popitem(last=False)
                self.cached_postings -= sum(len(ids) for _, ids, _ in old)
        return found

    def field_lengths(self, reader, fieldname: str) -> list[int]:
        """Each document's length in this field (as Whoosh stores it), read once."""
        found = self.lengths.get(fieldname)
        if found is None:
            length = reader.doc_field_length
            found = [length(d, fieldname, 1) or 1 for d in range(self.size)]
            self.lengths[fieldname] = found
        return found

    def term_cache_size(self) -> int:
        """How many term sets this segment keeps."""
        return min(TERM_CACHE_MAX, max(512, TERM_CACHE_BYTES * 8 // max(self.size, 1)))

    def term_mask(self, reader, fieldname: str, text) -> int:
        """The segment's documents containing this term (deleted ones included)."""
        key = (fieldname, text)
        with self.lock:
            mask = self.terms.get(key)
            if mask is not None:
                self.terms.move_to_end(key)
                return mask
        mask = 0
        if self.postings_arrays and fieldname in self.postings_arrays.fields:
            ids, _weights = self.postings_arrays.postings(fieldname, _bytes(text))
            mask = bitsets.from_ids(ids, self.size)
        elif (fieldname, text) in reader:
            mask = bitsets.from_ids(posting_ids(raw_postings(reader, fieldname, text)), self.size)
        with self.lock:
            self.terms[key] = mask
            while len(self.terms) > self.term_cache_size():
                self.terms.popitem(last=False)
        return mask


def _facet_values(reader, size: int) -> dict[str, dict[str, int]]:
    values: dict[str, dict[str, int]] = {}
    for facet in facet_names(reader.schema):
        values[facet] = {}
        for term in reader.lexicon(facet):
            text = term.decode() if isinstance(term, bytes) else term
            ids = posting_ids(raw_postings(reader, facet, term))
            values[facet][text] = bitsets.from_ids(ids, size)
    return values


def read_segment(reader) -> SegmentData:
    """Read one leaf reader's facet sets and sort columns."""
    size = reader.doc_count_all()
    return SegmentData(
        size=size,
        values=_facet_values(reader, size),
        ids=[int(v) if v else 0 for v in _column(reader, "id", "")],
        title_sort=_column(reader, "title_sort", ""),
        level_rank=_column(reader, "level_rank"),
        decided=_column(reader, "decided"),
    )


class SegmentCache:
    """Segment data by (index folder, segment id), shared by the threads of a process."""

    def __init__(self, capacity: int = 32):
        self.capacity = capacity
        self._data: OrderedDict[tuple, SegmentData] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, folder: str, reader) -> SegmentData:
        """This leaf reader's data, read on first use of its segment."""
        segment = reader.segment()
        if segment is None:  # an empty index: nothing worth keeping
            return read_segment(reader)
        key = (folder, segment.segment_id())
        with self._lock:
            data = self._data.get(key)
            if data is not None:
                self._data.move_to_end(key)
                return data
        data = read_segment(reader)
        data.postings_arrays = open_arrays(folder, segment.segment_id(),
                                           scored_fields(reader.schema))
        with self._lock:
            self._data[key] = data
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)
        return data


SEGMENTS = SegmentCache()
