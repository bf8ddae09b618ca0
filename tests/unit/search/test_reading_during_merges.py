"""A searcher opened just before a commit that merges segments away keeps reading them:
storage.open_searcher opens every file of its segments up front (whoosh_fixes.pin_files)
and starts again when a commit lands while it does."""

from __future__ import annotations

import pytest
from whoosh.index import TOC
from whoosh.query import Term

from search_index import storage, whoosh_fixes
from search_index.schema import build_schema
from search_index.writing import WRITER_OPTIONS


def _document(n: int) -> dict:
    return {"id": str(n), "digest": f"d{n}", "text": f"werk traject {n}",
            "title_prefix": "Werk", "spelling": "werk", "title_sort": f"t{n:04}",
            "level_rank": 1, "decided": 0, "rung_min": 1, "rung_max": 2, "barrier": "debt"}


def _commit(ix, numbers, **options) -> None:
    writer = ix.writer(**WRITER_OPTIONS)
    for n in numbers:
        writer.add_document(**_document(n))
    writer.commit(merge=False, **options)


@pytest.fixture
def root(tmp_path):
    """An index of three segments, made current the way a rebuild does."""
    root = tmp_path / "index"
    path, ix = storage.new_generation(root, build_schema(("barrier",)))
    for first in (0, 10, 20):
        _commit(ix, range(first, first + 10))
    storage.swap_in(root, path)
    return root


def _merge_everything(root) -> None:
    ix = storage.open_current(root)
    ix.writer(**WRITER_OPTIONS).commit(optimize=True)  # deletes the three segments' files


def test_a_searcher_reads_stored_fields_and_lengths_of_segments_merged_away_meanwhile(root):
    searcher = storage.open_searcher(root)
    assert len(searcher.reader().leaf_readers()) == 3

    _merge_everything(root)

    with searcher:
        ids = sorted(int(fields["id"]) for fields in searcher.all_stored_fields())
        hits = searcher.search(Term("text", "traject"), limit=None)
        assert (ids, len(hits)) == (list(range(30)), 30)
        assert {hit["digest"] for hit in hits} == {f"d{n}" for n in range(30)}


def test_a_commit_while_the_files_are_opened_makes_it_open_the_new_generation(
        root, monkeypatch):
    # The commit lands after the table of contents was read and before the column files
    # are listed: the old segments' columns are gone and would not even be seen.
    real_pin = whoosh_fixes.pin_files
    commits = []

    def commit_first(reader):
        if not commits:
            commits.append(reader.generation())
            _merge_everything(root)
        real_pin(reader)

    monkeypatch.setattr(whoosh_fixes, "pin_files", commit_first)

    with storage.open_searcher(root) as searcher:
        assert searcher.reader().generation() > commits[0]
        assert len(list(searcher.all_stored_fields())) == 30


def test_an_index_that_never_holds_still_is_reported_unavailable(root, monkeypatch):
    monkeypatch.setattr(whoosh_fixes, "pin_files", lambda reader: _merge_everything(root))

    with pytest.raises(storage.IndexUnavailable, match="changed"):
        storage.open_searcher(root)


def test_an_empty_index_opens(tmp_path):
    path, _ix = storage.new_generation(tmp_path, build_schema(("barrier",)))
    storage.swap_in(tmp_path, path)

    with storage.open_searcher(tmp_path) as searcher:
        assert searcher.doc_count_all() == 0


@pytest.mark.parametrize("opening", [storage.open_current, storage.open_searcher])
def test_a_commit_between_listing_and_reading_the_table_of_contents_is_not_damage(
        root, monkeypatch, opening):
    # Whoosh lists the folder for the newest table of contents, then reads it; a commit
    # in between deletes it (the health check and every new searcher open this way).
    real = TOC._latest_generation.__func__
    commits = []

    def listed_then_committed(cls, folder, indexname):
        generation = real(cls, folder, indexname)
        if not commits:
            commits.append(generation)
            _merge_everything(root)
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(listed_then_committed))

    opened = opening(root)

    generation = opened.reader().generation() if opening is storage.open_searcher else (
        opened.latest_generation())
    opened.close()
    assert commits and generation > commits[0]
