"""The Whoosh internals the engine relies on (search_index/__init__.py lists them).

whoosh-reloaded keeps these private; a release that renames or changes one must fail
here, by name, rather than in a user's search or a rebuild.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.searching import Searcher
from whoosh.writing import PostingPool, SegmentWriter

from search_index import whoosh_fixes
from search_index.schema import build_schema, facet_names
from search_index.segments import decode_blocks, posting_ids, raw_postings
from search_index.writing import WRITER_OPTIONS

PINNED = "2.7.5"


def _small_index(tmp_path, documents: int = 300):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(("barrier",)))
    writer = ix.writer(**WRITER_OPTIONS)
    for n in range(documents):
        writer.add_document(id=str(n), digest="d", text=f"werk {n % 7} traject",
                            title_prefix="Werk", spelling="werk", title_sort=f"t{n:04}",
                            level_rank=n % 3, decided=0, rung_min=1, rung_max=2,
                            barrier="debt" if n % 2 else "language")
    writer.commit()
    return ix


def test_the_whoosh_release_is_the_one_these_internals_were_read_from():
    # On an upgrade: re-read every internal below in the new release, then move the pin.
    assert version("whoosh-reloaded") == PINNED


def test_segment_writer_internals_used_by_bulk_and_parallel_builds():
    # BulkWriter overrides add_document and _flush_segment and sets _added as they do.
    for name in ("add_document", "_flush_segment"):
        assert name in vars(SegmentWriter), name
    assert "self._added = False" in inspect.getsource(SegmentWriter)
    for name in ("fieldwriter", "perdocwriter", "pool", "docnum"):
        assert f"self.{name} =" in inspect.getsource(SegmentWriter), name
    for name in ("_close_segment", "_commit_toc", "_finish", "_finalize_segment"):
        assert callable(getattr(SegmentWriter, name)), name
    assert list(inspect.signature(SegmentWriter._commit_toc).parameters) == ["self", "segments"]
    # MemoryPostingPool replaces these methods and reads these fields of the pool.
    for name in ("add", "save", "items", "iter_postings"):
        assert callable(getattr(PostingPool, name, None)), name
    pool_source = "".join(inspect.getsource(cls) for cls in PostingPool.__mro__[:-1])
    for name in ("runs", "limit", "currentsize"):
        assert f"self.{name} =" in pool_source, name


def test_writer_fields_used_by_bulk_write_term(tmp_path):
    # bulk._write_term writes a term's blocks itself through these; test_bulk compares
    # the bytes it writes with Whoosh's own.
    ix = whoosh_index.create_in(str(tmp_path), build_schema(()))
    writer = ix.writer(**WRITER_OPTIONS)
    try:
        fieldwriter = writer.fieldwriter  # the codec's field writer BulkWriter writes through
        fieldwriter.start_field("text", ix.schema["text"])
        for name in ("_postwriter", "_format", "_fieldid", "_tindex"):
            assert hasattr(fieldwriter, name), name
        pw = fieldwriter._postwriter
        for name in ("_postfile", "_blocklimit", "_compression"):
            assert hasattr(pw, name), name
        source = inspect.getsource(whoosh3.W3PostingsWriter._write_block)
        assert "WHOOSH3_HEADER_MAGIC" in source and "dumps(data, 2)" in source
        fieldwriter.finish_field()
        fieldwriter.close()
    finally:
        writer.cancel()


def test_block_matcher_internals_read_by_segments(tmp_path):
    ix = _small_index(tmp_path)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        matcher = raw_postings(reader, "barrier", b"debt")
        assert isinstance(matcher, whoosh3.W3LeafMatcher)
        for name in ("_read_ids", "_read_weights", "_next_block"):
            assert callable(getattr(matcher, name)), name
        assert posting_ids(matcher) == list(range(1, 300, 2))
        blocks = decode_blocks(raw_postings(reader, "text", b"werk"))
        assert [doc for _, ids, _ in blocks for doc in ids] == list(range(300))
        assert blocks[-1][0] == 299  # _maxid: the block's highest document number


def test_searcher_index_folder_names_the_generation(tmp_path):
    ix = _small_index(tmp_path, documents=3)
    with ix.searcher() as searcher:
        assert isinstance(searcher, Searcher)
        assert searcher._ix.storage.folder == str(tmp_path)
        assert facet_names(searcher.schema) == ("barrier",)


def test_the_per_doc_reader_fix_replaces_the_method_it_was_written_for():
    original = inspect.getsource(whoosh3.W3PerDocReader.__init__)
    assert "self._readers" in original
    whoosh_fixes.apply()
    assert whoosh3.W3PerDocReader._cached_reader is whoosh_fixes._cached_reader


def test_pinning_opens_the_column_files_the_per_doc_reader_would_open_later():
    source = inspect.getsource(whoosh3.W3PerDocReader)
    assert "self._colfiles[fieldname] = self._get_column_file(fieldname)" in source
    whoosh_fixes.apply()
    assert whoosh3.W3PerDocReader.has_column is whoosh_fixes._has_column


def test_refresh_still_reuses_merged_away_segments_so_searchers_never_refresh():
    # search_index/searchers.py opens a new searcher instead of refreshing because
    # FileIndex._reader(reuse=...) keeps the old reader's segments. If a release fixes
    # it, refresh could be used again; if it renames it, this notes the change.
    source = inspect.getsource(whoosh_index.FileIndex._reader)
    assert "reuse" in source
