"""The postings arrays a full build writes beside each segment (search_index/
postings_arrays.py): the same postings as Whoosh's blocks, the same search results
without them, and deleted with their segment when Whoosh merges it away."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from registry.demo.generator import generate
from registry.extensions import db
from registry.models import SearchChange
from registry.search import sync
from search_index import searchers, storage, writing
from search_index.postings_arrays import (
    PostingsArraysWriter,
    file_names,
    open_arrays,
    partial_path,
    scored_fields,
)
from search_index.query import SearchRequest, run_search
from search_index.segments import SEGMENTS, decode_blocks, raw_postings

QUERIES = ["schuldhulp jongeren", "jobcoach autisme", "taalcursus statushouders",
           "psychische klachten", "begeleiding werk", "werk", "interventies", "jong*"]


@pytest.fixture
def built(db_session, tmp_path, monkeypatch) -> Path:
    generate(120)
    db.session.execute(delete(SearchChange))
    db.session.flush()
    monkeypatch.setattr(writing, "LIMIT_MB", 0.3)  # several segments
    root = tmp_path / "index"
    sync.rebuild(db_session.connection(), root, procs=1)
    yield root
    searchers.release_all()


def _arrays_files(root: Path) -> list[Path]:
    return sorted(storage.current_path(root).glob("*.pa_*.npy"))


def _search(root: Path) -> list:
    searcher, view = searchers.acquire(root)
    found = []
    for text in QUERIES:
        result = run_search(searcher, view, SearchRequest(text, per_page=500))  # all hits
        found.append((text, result.total, [(i, round(s, 9)) for i, s in result.hits]))
    return found


def test_each_terms_arrays_hold_the_postings_of_its_blocks(built):
    ix = storage.open_current(built)
    folder = str(storage.current_path(built))
    assert len(ix._segments()) >= 3
    with ix.searcher() as searcher:
        fields = scored_fields(searcher.schema)
        assert {"text", "title_prefix"} <= fields
        checked = 0
        for reader, _offset in searcher.reader().leaf_readers():
            arrays = open_arrays(folder, reader.segment().segment_id(), fields)
            assert arrays is not None
            for field in sorted(fields):
                for term in reader.lexicon(field):
                    blocks = decode_blocks(raw_postings(reader, field, term))
                    ids, weights = arrays.postings(field, term)
                    assert ids.tolist() == [d for _, block, _ in blocks for d in block]
                    assert weights.tolist() == [w for _, _, block in blocks for w in block]
                    checked += 1
            assert arrays.postings("text", b"zzzgeenwoord")[0].size == 0
    assert checked > 1000


def test_searches_find_and_rank_the_same_without_the_arrays(built):
    with_arrays = _search(built)
    assert any(total for _, total, _ in with_arrays)
    searchers.release_all()
    SEGMENTS._data.clear()
    for path in _arrays_files(built):
        path.unlink()
    assert _search(built) == with_arrays


def test_the_arrays_go_with_their_segment_when_whoosh_merges_it(built):
    before = _search(built)
    searchers.release_all()
    old = _arrays_files(built)
    assert old
    ix = storage.open_current(built)
    ix.optimize()  # Whoosh's own merge into one segment, which has no arrays
    assert len(ix._segments()) == 1
    assert not any(path.exists() for path in old)
    # Found the same, and ordered the same but for near ties: a merge rewrites the field
    # lengths Whoosh keeps per block, so the scores move a little, with or without arrays.
    after = _search(built)
    for (text, total, hits), (_text, total_before, hits_before) in zip(
            after, before, strict=True):
        assert total == total_before == len(hits), text
        assert sorted(doc for doc, _ in hits) == sorted(doc for doc, _ in hits_before), text
        rank = {doc: place for place, (doc, _score) in enumerate(hits)}
        for place, (doc, score) in enumerate(hits_before):
            for other, other_score in hits_before[place + 1:]:
                if score > other_score * NEAR_TIE:
                    assert rank[doc] < rank[other], (text, doc, other)


NEAR_TIE = 1.01  # scores closer than 1 % may swap in the merge


def test_a_segment_without_scored_postings_writes_no_arrays(tmp_path):
    writer = PostingsArraysWriter(frozenset({"text"}))
    writer.add("barrier", b"debt", [0, 1], [1.0, 1.0])
    writer.write(str(tmp_path), "MAIN_x")
    assert not list(tmp_path.iterdir())
    assert open_arrays(str(tmp_path), "MAIN_x", frozenset({"text"})) is None


def test_arrays_are_read_as_written(tmp_path):
    writer = PostingsArraysWriter(frozenset({"text", "title_prefix"}))
    writer.add("title_prefix", b"sc", [2, 5], [1.0, 2.0])
    writer.add("text", b"werk", [0, 3, 9], [1.0, 0.5, 3.0])
    writer.add("text", b"schuld", [1], [2.0])
    writer.write(str(tmp_path), "MAIN_x")
    arrays = open_arrays(str(tmp_path), "MAIN_x", frozenset({"text", "title_prefix"}))
    ids, weights = arrays.postings("text", b"werk")
    assert ids.tolist() == [0, 3, 9] and weights.dtype == np.float32
    assert weights.tolist() == [1.0, 0.5, 3.0]  # added out of key order: moved with the term
    assert arrays.postings("text", b"schuld")[0].tolist() == [1]
    assert arrays.postings("title_prefix", b"sc")[1].tolist() == [1.0, 2.0]
    assert arrays.postings("text", b"sc")[0].size == 0


def test_arrays_deleted_by_a_merge_while_they_are_opened_are_read_as_none(
        tmp_path, monkeypatch):
    writer = PostingsArraysWriter(frozenset({"text"}))
    writer.add("text", b"werk", [0, 3], [1.0, 0.5])
    writer.write(str(tmp_path), "MAIN_x")
    real_load = np.load

    def load_after_a_merge(path, **options):
        arrays = real_load(path, **options)
        for name in file_names("MAIN_x").values():
            (tmp_path / name).unlink(missing_ok=True)
        return arrays

    monkeypatch.setattr(np, "load", load_after_a_merge)

    assert open_arrays(str(tmp_path), "MAIN_x", frozenset({"text"})) is None


def test_segments_the_sync_writes_and_merges_have_arrays_too(index):
    from tests.factories import make_intervention

    for number in range(12):  # Whoosh merges the small segments of earlier syncs
        make_intervention(title=f"Schuldhulp {number}", summary="schulden regelen")
        index.sync()
    folder = str(storage.current_path(index.root))
    ix = storage.open_current(index.root)
    segments = ix._segments()
    assert 1 <= len(segments) < 12
    fields = scored_fields(ix.schema)
    assert all(open_arrays(folder, segment.segment_id(), fields) for segment in segments)
    assert index.search("schuldhulp").total == 12


def test_files_a_crash_leaves_are_deleted_with_their_segment(built):
    """A write cut short leaves a .partial file named after its segment, which never
    reached a TOC: Whoosh's next commit deletes it like the segment's other files."""
    folder = storage.current_path(built)
    orphan = partial_path(folder / file_names("MAIN_orphan0000000001")["ids"])
    orphan.write_bytes(b"cut short")
    ix = storage.open_current(built)
    writer = ix.writer(**writing.WRITER_OPTIONS)
    writer.commit()  # nothing added: a new TOC, and Whoosh's clean-up of unused files
    assert not orphan.exists()
    assert _arrays_files(built)  # the live segments' arrays stay
