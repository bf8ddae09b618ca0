"""A faster Whoosh writer for full rebuilds: the same index files, less Python per posting.

Profiled on a 10k rebuild (whoosh-reloaded 2.7.5), a third of the time went to Whoosh's
posting pool: every posting a 5-tuple, pickled into sorted runs on disk once the pool
passes `limitmb`, read back and merged with heapq. Another fifth went to reading each
posting's field length back from the just-written length column, one file read per
posting. And the whole-record text field went through four generators per word.

BulkWriter keeps the postings in memory grouped by term (documents arrive in docnum
order, so each term's postings are already sorted: nothing to sort but the terms), reads
each field's lengths once, and analyses the text field in one loop
(analysis.section_postings), the spelling and title-prefix fields from a per-word cache
(analysis.frequency_postings) and facets and numbers once per value. It writes each
term's blocks in one function (_write_term) and pauses the collection of Python's oldest
generation during a build (oldest_collections_paused). The segment written is byte for
byte what SegmentWriter writes for the same documents (tests/unit/search/test_bulk.py).
Above `limitmb` the pool still spills sorted runs and merges them as Whoosh does, so
memory stays bounded; a full build (write_segments) instead finishes the segment there
and starts the next, so no posting goes through Whoosh's pickled runs and heap merge: at
100k records those took most of the rebuild's time (bench/README.md, "Full rebuild of
100k").
"""

from __future__ import annotations

import gc
import operator
import queue
import threading
import traceback
import zlib
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pickle import dumps

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.fields import KEYWORD, NUMERIC
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from search_index.analysis import (
    SectionAnalyzer,
    frequency_postings,
    section_postings,
    word_terms_of,
)
from search_index.postings_arrays import PostingsArraysWriter, scored_fields

# Estimated bytes a posting and a new term hold in the pool (lists, float, value bytes).
_POSTING_BYTES = 96
_TERM_BYTES = 320
# Facet and number values repeat from record to record: their postings are kept per value,
# up to this many values (then forgotten and kept again).
_REPEATED_VALUES = 50_000
_FREQUENCY, _VALUE = operator.itemgetter(1), operator.itemgetter(3)


class MemoryPostingPool(PostingPool):
    """Postings grouped by field, then term: fieldname -> {term bytes: [docnum, weight,
    value, docnum, weight, value, ...]} (one flat list a term: one append a posting)."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.fields: dict[str, dict[bytes, list]] = {}
        self.unsorted: set[tuple[str, bytes]] = set()

    def terms_of(self, fieldname: str) -> dict[bytes, list]:
        """The field's terms and their postings."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item):
        self.add_posting(*item)

    def add_posting(self, fieldname, tbytes, docnum, weight, vbytes):
        terms = self.terms_of(fieldname)
        entry = terms.get(tbytes)
        if entry is None:
            terms[tbytes] = [docnum, weight, vbytes]
            self.currentsize += _TERM_BYTES + len(vbytes or b"")
        else:
            if docnum <= entry[-3]:
                self.unsorted.add((fieldname, tbytes))
            entry += (docnum, weight, vbytes)
            self.currentsize += _POSTING_BYTES + len(vbytes or b"")
        if self.currentsize > self.limit:
            self.save()

    def term_postings(self):
        """(fieldname, tbytes, docnums, weights, values) per term, in the order Whoosh's
        sorted pool yields them (by field, term, then docnum, weight, value)."""
        unsorted = self.unsorted
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                flat = terms[tbytes]
                docs, weights, values = flat[0::3], flat[1::3], flat[2::3]
                if (fieldname, tbytes) in unsorted:
                    rows = sorted(zip(docs, weights, values, strict=True))
                    docs, weights, values = (list(column)
                                             for column in zip(*rows, strict=True))
                yield fieldname, tbytes, docs, weights, values

    def _items(self):
        for fieldname, tbytes, docs, weights, values in self.term_postings():
            for docnum, weight, value in zip(docs, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, value

    def save(self):
        if self.fields:
            path, f = self._new_run()
            self._write_run(f, self._items())
            self._add_run(path)
            self.fields = {}
            self.unsorted = set()
        self.currentsize = 0

    def items(self, maxfiles=128):
        if not self.runs:
            return self._items()
        self.save()
        if maxfiles < len(self.runs):
            self.reduce_to(maxfiles, maxfiles)
        runs, self.runs = self.runs, []
        return self._merge_runs(runs)


class _Lengths:
    """A per-document reader's field lengths, each field's column read once."""

    def __init__(self, pdr, doccount: int):
        self._pdr = pdr
        self._doccount = doccount
        self._columns: dict[str, list] = {}

    def column(self, fieldname: str) -> list:
        column = self._columns.get(fieldname)
        if column is None:
            length = self._pdr.doc_field_length
            column = [length(d, fieldname) for d in range(self._doccount)]
            self._columns[fieldname] = column
        return column

    def doc_field_length(self, docnum, fieldname, default=0):
        return self.column(fieldname)[docnum]


def _is_repeated_value(field) -> bool:
    """Facets and numbers: fields whose postings depend on the value only, whose values
    repeat, and whose posting values are a packed frequency or nothing (so they can be
    made afresh: _repeated)."""
    return isinstance(field, (KEYWORD, NUMERIC)) and type(field.format) in (Frequency,
                                                                            Existence)


def _is_section_text(field) -> bool:
    return (
        type(field.format) is Positions
        and isinstance(field.analyzer, SectionAnalyzer)
        and field.analyzer.is_dutch()
    )


class BulkWriter(SegmentWriter):
    """SegmentWriter for adding many documents at once (rebuilds); same segment files."""

    def __init__(self, ix, limitmb=128, spill=True, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.spill = spill  # False: past limitmb the caller finishes the segment (is_full)
        self.pool = MemoryPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        schema = self.schema
        if any(field.vector or field.separate_spelling() for _, field in schema.items()):
            raise ValueError("BulkWriter does not write term vectors or separate spellings")
        self._fast_text = {name for name, field in schema.items() if _is_section_text(field)}
        self._word_terms = {name: terms_of for name, field in schema.items()
                            if (terms_of := word_terms_of(field)) is not None}
        self._repeated = {name for name, field in schema.items() if _is_repeated_value(field)}
        self._postings_of_value: dict[tuple[str, object], list] = {}
        self._plans: dict[str, tuple] = {}

    def _repeated_postings(self, fieldname: str, field, value) -> list:
        """field.index(value), kept per value. Each posting value is made afresh: one
        bytes object shared by many postings would be pickled once per block with
        references to it, and the blocks would differ from Whoosh's."""
        key = (fieldname, value)
        kept = self._postings_of_value.get(key)
        if kept is None:
            if len(self._postings_of_value) >= _REPEATED_VALUES:
                self._postings_of_value.clear()
            kept = self._postings_of_value[key] = list(field.index(value))
        return [(tbytes, freq, weight, pack_uint(freq) if vbytes else vbytes)
                for tbytes, freq, weight, vbytes in kept]

    def _plan(self, fieldname: str) -> tuple:
        """How a field is written: (field, how its postings are made, the names of its
        boost and stored-value keywords, whether it is written to the per-document
        files at all). Made once per field."""
        plan = self._plans.get(fieldname)
        if plan is None:
            field = self.schema[fieldname]
            if fieldname in self._fast_text:
                how = "section"
            elif fieldname in self._word_terms:
                how = "words"
            elif fieldname in self._repeated:
                how = "repeated"
            else:
                how = "field"
            # add_field stores nothing for a field neither stored nor scored, and a
            # column only for a sortable one.
            per_doc = bool(field.stored or field.scorable or field.column_type)
            plan = self._plans[fieldname] = (
                field, how, f"_{fieldname}_boost", f"_stored_{fieldname}", per_doc)
        return plan

    def _postings(self, fieldname: str, field, how: str, value) -> list | Iterable:
        """field.index(value), through the fast paths where they apply."""
        if how == "section" and isinstance(value, str):
            return section_postings(value, field)
        if how == "words" and isinstance(value, str):
            return frequency_postings(value, field, self._word_terms[fieldname])
        if how == "repeated" and isinstance(value, (str, int)):
            return self._repeated_postings(fieldname, field, value)
        return field.index(value)

    def add_document(self, **fields):
        # whoosh.writing.SegmentWriter.add_document without term vectors or separate
        # spelling words (refused above), postings passed to the pool unpacked.
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        pool = self.pool
        plan_of = self._plan
        new_terms = postings = value_bytes = 0

        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field, how, boost_key, stored_key, per_doc = plan_of(fieldname)

                length = 0
                if field.indexed:
                    fieldboost = float(fields[boost_key]) if boost_key in fields else docboost
                    items = self._postings(fieldname, field, how, value)
                    if fieldboost != 1.0 or not isinstance(items, list):
                        items = [(tbytes, freq, weight * fieldboost, vbytes)
                                 for tbytes, freq, weight, vbytes in items]
                    # MemoryPostingPool.add_posting inlined: a document's docnum is above
                    # every docnum in the pool, and a field yields each term once.
                    terms = pool.terms_of(fieldname)
                    for tbytes, _freq, weight, vbytes in items:
                        entry = terms.get(tbytes)
                        if entry is None:
                            terms[tbytes] = [docnum, weight, vbytes]
                            new_terms += 1
                        else:
                            entry += (docnum, weight, vbytes)
                    postings += len(items)
                    value_bytes += sum(map(len, map(_VALUE, items)))
                    if field.scorable:
                        length = sum(map(_FREQUENCY, items))

                if per_doc:
                    customval = fields.get(stored_key, value)
                    perdocwriter.add_field(fieldname, field,
                                           customval if field.stored else None, length)
                    column = field.column_type
                    if column and customval is not None:
                        perdocwriter.add_column_value(fieldname, column,
                                                      field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        pool.currentsize += (new_terms * _TERM_BYTES + (postings - new_terms) * _POSTING_BYTES
                             + value_bytes)
        if self.spill and pool.currentsize > pool.limit:
            pool.save()

    def is_full(self) -> bool:
        """Whether the postings buffered passed limitmb (by the pool's estimate)."""
        return self.pool.currentsize > self.pool.limit

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            lengths = _Lengths(pdr, self.docnum) if pdr is not None else None
            if self.pool.runs:  # spilled: merge the runs as Whoosh does
                self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            else:
                arrays = PostingsArraysWriter(scored_fields(self.schema))
                self._write_terms(lengths, arrays)
                folder = getattr(self.storage, "folder", None)
                if folder is not None:
                    arrays.write(folder, self.newsegment.segment_id())
            self.fieldwriter.close()
        finally:
            if pdr is not None:
                pdr.close()

    def _write_terms(self, lengths: _Lengths | None, arrays: PostingsArraysWriter) -> None:
        # whoosh.codec.base.FieldWriter.add_postings, a term at a time.
        writer = self.fieldwriter
        schema = self.schema
        lastfn = None
        column = None
        for fieldname, btext, docs, weights, values in self.pool.term_postings():
            if fieldname != lastfn:
                if lastfn is not None:
                    writer.finish_field()
                field = schema[fieldname]
                writer.start_field(fieldname, field)
                lastfn = fieldname
                column = lengths.column(fieldname) if lengths and field.scorable else None
            if -1 in docs:  # Whoosh's marker for spelling-only words: no posting
                kept = [i for i, docnum in enumerate(docs) if docnum != -1]
                if not kept:
                    continue
                docs = [docs[i] for i in kept]
                weights = [weights[i] for i in kept]
                values = [values[i] for i in kept]
            _write_term(writer, btext, docs, weights, values, column)
            arrays.add(fieldname, btext, docs, weights)
        if lastfn is not None:
            writer.finish_field()


def _write_term(writer, btext: bytes, docs: list, weights: list, values: list,
                column) -> None:
    """W3FieldWriter.start_term, add per posting and finish_term for all of one term's
    postings in one call: the same blocks, statistics and bytes (tests/unit/search/
    test_bulk.py compares the files), without a method call per posting or per block
    statistic. `column` holds the field's lengths by document number, or is None."""
    pw = writer._postwriter
    postfile = pw._postfile
    limit = pw._blocklimit
    compression = pw._compression
    fixedsize = writer._format.fixed_value_size()
    info = W3TermInfo()
    total_weight, df, min_length, max_length, max_weight = 0, 0, None, 0, 0
    offset = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)  # before a term's first block
    count = len(docs)
    start = 0
    while start < count:
        end = min(count, start + limit)
        ids = docs[start:end]
        doubles = weights[start:end]
        stored = array("f", doubles)  # the block's weights as Whoosh keeps them
        block_max = max(doubles)
        if not block_max > 0:
            block_max = 0  # Whoosh starts a block's maximum at 0
        low, high = None, 0
        if column:
            lengths = [n for n in map(column.__getitem__, ids) if n]
            if lengths:
                low, high = min(lengths), max(lengths)
        # W3TermInfo.add_block
        total_weight += sum(stored)
        df += len(ids)
        min_length = low if min_length is None else min(min_length, low)
        max_length = max(max_length, high)
        max_weight = max(max_weight, block_max)
        # W3PostingsWriter._write_block, its _mini_ids, _mini_weights and _mini_values
        size = len(stored)
        if stored.count(1.0) == size:
            mini_weights = None
        elif stored.count(stored[0]) == size:
            mini_weights = stored[0]
        else:
            mini_weights = tuple(stored)
        kept = [v for v in values[start:end] if v]
        if fixedsize is None or fixedsize < 0:
            mini_values = tuple(kept)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(kept)
        deltas = tuple(map(operator.sub, ids, [0, *ids[:-1]]))
        data = dumps((deltas, mini_weights, mini_values), 2)
        if compression:
            data = zlib.compress(data, compression)
        info_bytes = dumps((len(ids), ids[-1], block_max, compression, length_to_byte(low),
                            length_to_byte(high)), 2)
        block_length = len(info_bytes) + len(data)
        postfile.write_int(-block_length if end == count else block_length)
        postfile.write(info_bytes)
        postfile.write(data)
        start = end
    info._weight, info._df, info._minlength = total_weight, df, min_length
    info._maxlength, info._maxweight = max_length, max_weight
    info._minid, info._maxid = docs[0], docs[-1]
    info.set_extent(offset, postfile.tell() - offset)
    writer._tindex.add(pack_ushort(writer._fieldid) + btext, info.to_bytes())


_paused = 0
_pause_lock = threading.Lock()
_kept_threshold = 0
# While a build runs, the oldest generation is collected only after this many collections
# of the middle one (Python's default is 10): practically not during the build.
_BUILD_OLDEST_THRESHOLD = 1_000_000


@contextmanager
def oldest_collections_paused() -> Iterator[None]:
    """Leave Python's oldest generation uncollected while a build runs.

    The posting buffer holds millions of long-lived lists; every full collection walks
    them all again, about a tenth of a 10k rebuild's CPU (bench/README.md). Young
    objects are still collected, so cycles made and dropped during the build still go;
    the old threshold is back afterwards (nested or concurrent builds in one process
    restore it when the last ends)."""
    global _paused, _kept_threshold
    with _pause_lock:
        if _paused == 0:
            young, middle, _kept_threshold = gc.get_threshold()
            gc.set_threshold(young, middle, _BUILD_OLDEST_THRESHOLD)
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0:
                young, middle, _oldest = gc.get_threshold()
                gc.set_threshold(young, middle, _kept_threshold)


def write_segments(ix, documents: Iterable[dict], limitmb: int, **options) -> list:
    """Write the documents, in order, into as many new segments of `ix` as the buffer
    needs (_write_segments), with the oldest generation's collections paused."""
    with oldest_collections_paused():
        return _write_segments(ix, documents, limitmb, **options)


def _write_segments(ix, documents: Iterable[dict], limitmb: int, **options) -> list:
    """Write the documents, in order, into as many new segments of `ix` as the buffer
    needs: when its postings pass `limitmb` the segment is finished (its terms written
    one at a time) and the next begins. Returns the segments (none for no documents);
    the caller holds the index lock and commits them in a TOC. On an error the
    segments' files are left for the caller to discard (a rebuild drops its new
    generation; a TOC commit deletes files it does not list)."""
    segments = []
    writer = BulkWriter(ix, _lk=False, limitmb=limitmb, spill=False, **options)
    try:
        for doc in documents:
            writer.add_document(**doc)
            if writer.is_full():
                segments.append(writer._finalize_segment())
                writer = BulkWriter(ix, _lk=False, limitmb=limitmb, spill=False, **options)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
    except BaseException:
        if not writer.is_closed:
            writer._close_segment()
        raise
    return segments


def _documents_of(jobs) -> Iterator[dict]:
    while (batch := jobs.get()) is not None:
        yield from batch


def segment_worker(path: str, options: dict, jobs, results, number: int) -> None:
    """Child process of a parallel rebuild: index the document batches read from `jobs`
    (None ends) into new segments of the index at `path` (write_segments); put (number,
    segments) or (number, error text) on `results`. The parent holds the index lock and
    writes the TOC.
    """
    try:
        ix = whoosh_index.open_dir(path)
        results.put((number, write_segments(ix, _documents_of(jobs), **options)))
    except BaseException:
        results.put((number, traceback.format_exc()))


def put(jobs, item, process, timeout: float = 1.0) -> None:
    """jobs.put(item), giving up when the process reading the queue has died."""
    while True:
        try:
            jobs.put(item, timeout=timeout)
            return
        except queue.Full:
            if not process.is_alive():
                raise RuntimeError(f"indexing process {process.pid} died") from None
