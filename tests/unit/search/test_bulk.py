"""The rebuild's fast writer (search_index.bulk) writes the same index as Whoosh's own.

On a generated demo catalogue: the segment files byte for byte (with the posting pool in
memory and spilled to disk), the text field's postings term by term, and a rebuild in two
processes finds and ranks the same records as one in one process.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from registry.demo.generator import generate
from registry.extensions import db
from registry.models import SearchChange
from registry.search import sync
from registry.search.documents import FACETS, iter_public_documents
from search_index import bulk, searchers, storage, writing
from search_index.analysis import (
    SECTION_BREAK,
    frequency_postings,
    section_postings,
    word_terms_of,
)
from search_index.bulk import BulkWriter, MemoryPostingPool
from search_index.query import SearchRequest, run_search
from search_index.schema import build_schema

QUERIES = ["schuldhulp jongeren", "jobcoach autisme", "taalcursus statushouders",
           "psychische klachten", "begeleiding werk", "werk", '"naar werk"', "interventies"]


@pytest.fixture
def catalogue(db_session) -> list[dict]:
    generate(150)
    # Without the change log, which a rebuild applies after its swap as updates.
    db.session.execute(delete(SearchChange))
    db.session.flush()
    with Session(db.session.connection()) as session:
        return list(iter_public_documents(session))


def _build(path: Path, documents: list[dict], writer_factory) -> Path:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(FACETS))
    writer = writer_factory(ix)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    return path


def _files(path: Path) -> dict[str, bytes]:
    """Whoosh's segment files by kind (the segment's random name left out); not the TOC,
    which names the segment, nor the postings arrays that only the bulk writer adds
    (tests/unit/search/test_postings_arrays.py)."""
    files = {}
    for file in path.iterdir():
        if file.name.startswith("MAIN_") and "." in file.name and ".pa_" not in file.name:
            files[file.name.split(".", 1)[1]] = file.read_bytes()
    return files


@pytest.mark.parametrize("limitmb", [256, 0.05], ids=["in-memory", "spilled"])
def test_bulk_writer_writes_the_same_segment(catalogue, tmp_path, limitmb):
    options = writing.WRITER_OPTIONS
    expected = _build(tmp_path / "whoosh", catalogue,
                      lambda ix: ix.writer(limitmb=256, **options))
    actual = _build(tmp_path / "bulk", catalogue,
                    lambda ix: BulkWriter(ix, limitmb=limitmb, **options))
    expected_files, actual_files = _files(expected), _files(actual)
    assert set(expected_files) >= {"pst", "trm", "_stored.col", "_text_len.col"}
    assert actual_files.keys() == expected_files.keys()
    assert bool(list(actual.glob("*.pa_ids.npy"))) == (limitmb == 256)  # not when spilled
    for kind, content in expected_files.items():
        assert actual_files[kind] == content, kind


def test_section_postings_match_the_field(catalogue):
    field = build_schema(FACETS)["text"]
    texts = [doc["text"] for doc in catalogue] + [
        "",
        "de het een",
        "Eén cliënt, ideeën en interventies zonder secties",
        SECTION_BREAK.join(["Titel", "", "de en", "vier", "vijf secties: cliënten"]),
        f"{SECTION_BREAK}alleen samenvatting{SECTION_BREAK}",
        "werk werk werk" + SECTION_BREAK + "werk" + SECTION_BREAK + "werk, werkt, werken",
    ]
    for text in texts:
        assert section_postings(text, field) == list(field.index(text)), text


@pytest.mark.parametrize("name", ["spelling", "title_prefix"])
def test_frequency_postings_match_the_field(catalogue, name):
    field = build_schema(FACETS)[name]
    terms_of = word_terms_of(field)
    assert terms_of is not None
    texts = [doc[name] for doc in catalogue] + [
        "", "de het een a b", "Eén cliënt, ideeën en Cliënten", "werk werk werkt werken",
        "e.g. 3.5 jaar, v.d. straat*", "Schuldhulpverleningstrajectbegeleidingscoördinator",
    ]
    for text in texts:
        assert frequency_postings(text, field, terms_of) == list(field.index(text)), text


def test_only_the_spelling_and_prefix_fields_have_word_terms():
    schema = build_schema(FACETS)
    assert [name for name, field in schema.items() if word_terms_of(field)] == [
        "spelling", "title_prefix"]


def _search(root: Path) -> list:
    searcher, view = searchers.acquire(root)
    results = []
    for text in QUERIES:
        found = run_search(searcher, view, SearchRequest(text, per_page=50))
        results.append((text, found.total, found.hits))
    return results


def test_two_processes_index_and_rank_the_same(catalogue, db_session, tmp_path):
    bind = db_session.connection()
    one = tmp_path / "one"
    two = tmp_path / "two"
    assert sync.rebuild(bind, one, procs=1)[0] == len(catalogue)
    assert sync.rebuild(bind, two, procs=2)[0] == len(catalogue)
    ix = storage.open_current(two)
    assert len(ix._segments()) == 2
    with storage.open_current(one).searcher() as a, ix.searcher() as b:
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        assert list(a.reader().all_terms()) == list(b.reader().all_terms())
        assert a.doc_count() == b.doc_count() == len(catalogue)
    try:
        assert _search(one) == _search(two)
        assert any(total for _, total, _ in _search(one))
    finally:
        searchers.release_all()
    assert not sync.verify(bind, two)


def test_a_rebuild_past_its_buffer_writes_more_segments_not_spilled_runs(
        catalogue, db_session, tmp_path, monkeypatch):
    bind = db_session.connection()
    one = tmp_path / "one"
    assert sync.rebuild(bind, one, procs=1)[0] == len(catalogue)

    def no_spill(pool):
        raise AssertionError("a rebuild spilled postings to disk")

    monkeypatch.setattr(MemoryPostingPool, "save", no_spill)
    monkeypatch.setattr(writing, "LIMIT_MB", 0.3)  # about 40 of these records a buffer
    several = tmp_path / "several"
    assert sync.rebuild(bind, several, procs=1)[0] == len(catalogue)
    assert sync.rebuild(bind, tmp_path / "two", procs=2)[0] == len(catalogue)
    ix = storage.open_current(several)
    assert len(ix._segments()) >= 3
    assert len(storage.open_current(tmp_path / "two")._segments()) >= 3
    with storage.open_current(one).searcher() as a, ix.searcher() as b:
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())
        assert list(a.reader().all_terms()) == list(b.reader().all_terms())
    try:
        assert _search(one) == _search(several) == _search(tmp_path / "two")
    finally:
        searchers.release_all()
    assert not sync.verify(bind, several)


def test_a_build_pauses_the_oldest_generations_collections_and_restores_them(tmp_path):
    before = gc.get_threshold()
    seen = []

    def documents():
        seen.append(gc.get_threshold())
        yield {"id": "1", "digest": "d", "text": "werk", "title_sort": "werk"}

    (tmp_path / "ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema(FACETS))
    with bulk.oldest_collections_paused():  # nested: the inner build keeps it paused
        bulk.write_segments(ix, documents(), 16)
        assert gc.get_threshold()[2] == bulk._BUILD_OLDEST_THRESHOLD
    assert seen == [(*before[:2], bulk._BUILD_OLDEST_THRESHOLD)]
    assert gc.get_threshold() == before


def test_an_update_pauses_the_oldest_generations_collections_too(tmp_path):
    before = gc.get_threshold()
    (tmp_path / "ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema(FACETS))
    with writing.updating(ix) as writer:
        assert gc.get_threshold()[2] == bulk._BUILD_OLDEST_THRESHOLD
        writing.put(writer, {1: {"id": "1", "digest": "d", "text": "werk"}})
    assert gc.get_threshold() == before
