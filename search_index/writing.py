"""Writing documents into an index: updates and deletions, full builds, stored digests.

The caller holds storage.writer_lock (or, for a new generation, builds it before it is
current) and supplies the documents; this module knows only Whoosh. A document is a dict
of field values with "id" (a string) and "digest" (a fingerprint of its content).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from whoosh.writing import SegmentWriter

from search_index import bulk
from search_index.bulk import BulkWriter

PROCS = 1  # one process; see fill
# The rebuild's posting buffer (split between processes): the postings of 10k records
# fit (≈ 2.6M postings, ≈ 400 MB resident); a larger catalogue gets a segment per
# buffer (bulk.write_segments).
LIMIT_MB = 512
# The change log's writer: a sync of 20,000 studies holds about 100 MB of postings.
UPDATE_LIMIT_MB = 256
# Separate segment files, not one compound file: Whoosh 2.7.5 opens a compound file's
# parts through BytesIO, which copies them, so every searcher (one per thread) would
# hold its own copy of all postings (240 MB at 100k records). Plain files are read
# through the page cache, shared by every thread and process.
WRITER_OPTIONS = {"compound": False}


@contextmanager
def updating(ix) -> Iterator[SegmentWriter]:
    """A writer for any number of put() calls, committed once at the end (one new
    segment) or cancelled on an error.

    The bulk writer's pool (a sync can bring 20,000 imported studies at once): one
    commit instead of one per batch saves Whoosh's repeated merges of the small segments
    every commit leaves, which cost more than the documents themselves. Python's oldest
    generation is not collected meanwhile (bulk.oldest_collections_paused).
    """
    with bulk.oldest_collections_paused():
        writer = BulkWriter(ix, limitmb=UPDATE_LIMIT_MB, timeout=5.0, **WRITER_OPTIONS)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


def put(writer: SegmentWriter, documents: Mapping[int, dict | None]) -> None:
    """Replace these records' documents in the writer; None deletes a record's document."""
    for record_id, doc in documents.items():
        if doc is not None:
            writer.update_document(**doc)
        else:
            writer.delete_by_term("id", str(record_id))


def auto_procs() -> int:
    """Indexing processes for a rebuild: 2 when two CPUs are idle (the last minute's load
    average leaves at least 1.5 free), else 1. A second process saves wall time only on
    an idle core: it costs about 15 % more CPU in all (documents pickled across)."""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1
    return 2 if cpus >= 2 and cpus - load >= 1.5 else 1


def fill(ix, documents: Iterable[dict]) -> int:
    """Add every document to an empty index; returns how many.

    One large buffer: one segment up to about 17,000 of today's records (search reads
    each segment once and caches it, so one is what it reads fastest), a segment per
    full buffer beyond (bulk.write_segments), in one commit.
    """
    counted = _Counted(documents)
    writer = ix.writer(**WRITER_OPTIONS)  # holds the index lock; adds nothing itself
    try:
        segments = bulk.write_segments(ix, counted, LIMIT_MB, **WRITER_OPTIONS)
    except BaseException:
        writer.cancel()
        raise
    _commit_segments(writer, segments)
    return counted.count


class _Counted:
    """The documents, counted as they pass."""

    def __init__(self, documents: Iterable[dict]):
        self._documents = documents
        self.count = 0

    def __iter__(self) -> Iterator[dict]:
        for doc in self._documents:
            self.count += 1
            yield doc


def _commit_segments(writer: SegmentWriter, segments: list) -> None:
    """Commit segments written by other writers as `writer`'s TOC (Whoosh internals,
    pinned by tests/unit/search/test_whoosh_internals.py)."""
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def fill_parallel(ix, streams: Sequence[Iterator[list[dict]]]) -> int:
    """Add documents to an empty index in one process per stream (each writes its own
    segments, bulk.write_segments).

    Each stream yields batches of documents of consecutive ids, the streams in id order,
    so documents keep the order (and docnums) of a one-process build; no final merge (it
    would cost more than the processes saved).
    """
    procs = len(streams)
    context = multiprocessing.get_context()
    writer = ix.writer(**WRITER_OPTIONS)  # holds the index lock; adds nothing itself
    results = context.Queue()
    workers = []
    try:
        for number in range(procs):
            jobs = context.Queue(maxsize=4)
            process = context.Process(
                target=bulk.segment_worker, daemon=True,
                args=(ix.storage.folder, {"limitmb": LIMIT_MB // procs, **WRITER_OPTIONS},
                      jobs, results, number),
            )
            process.start()
            workers.append((process, jobs))
        count = _feed(workers, streams)
        segments = _collect(workers, results, procs)
    except BaseException:
        for process, _ in workers:
            if process.is_alive():
                process.terminate()
            process.join()
        writer.cancel()
        raise
    _commit_segments(writer, [segment for k in range(procs) for segment in segments[k]])
    return count


def _feed(workers: list, streams: Sequence[Iterator[list[dict]]]) -> int:
    # Every process in turn, a batch of its own id range at a time.
    count = 0
    live = dict(enumerate(streams))
    while live:
        for number, stream in list(live.items()):
            batch = next(stream, None)
            if batch is None:
                del live[number]
                continue
            process, jobs = workers[number]
            bulk.put(jobs, batch, process)
            count += len(batch)
    for process, jobs in workers:
        bulk.put(jobs, None, process)
    return count


def _collect(workers: list, results, procs: int) -> dict[int, list]:
    segments: dict[int, list] = {}
    while len(segments) < procs:
        try:
            number, segment = results.get(timeout=1.0)
        except queue.Empty:
            if not any(p.is_alive() for p, _ in workers):
                raise RuntimeError("indexing processes ended without a result") from None
            continue
        if isinstance(segment, str):
            raise RuntimeError(f"indexing process {number} failed:\n{segment}")
        segments[number] = segment
    for process, _ in workers:
        process.join()
    return segments


def stored_digests(searcher) -> list[tuple[int, str | None]]:
    """(record id, digest) of every document the searcher sees, duplicates included."""
    return [(int(f["id"]), f.get("digest")) for f in searcher.all_stored_fields()]
