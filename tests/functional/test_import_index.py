"""A failed import leaves the database, the search change log and the search index
exactly as they were: on a database of its own with inline search sync, committed to
for real (the CLI commits or rolls back as in production)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from importers import pipeline
from registry.extensions import db
from registry.models import ImportBatch, InterventionStudy, SearchChange, Study
from registry.search import sync
from search_index import searchers
from tests.functional.search_support import add, index_dir, total

RECORD = "TY  - JOUR\nAU  - Jansen, P.\nTI  - Fietsproject in wijk {n}\nPY  - 2020\nER  - \n\n"


def ris_file(tmp_path, records: int, tail: bytes = b""):
    path = tmp_path / "studies.ris"
    path.write_bytes("".join(RECORD.format(n=n) for n in range(records)).encode() + tail)
    return path


def state(app) -> tuple:
    searcher, _view = searchers.acquire(index_dir(app))
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Study, InterventionStudy, SearchChange, ImportBatch)
    )
    return counts, searcher.doc_count(), total(app, "fietsproject")


@pytest.fixture
def import_cli(live_search_app, monkeypatch):
    # Small chunks, so the failure comes after several chunks were written and linked.
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 10)
    runner = live_search_app.test_cli_runner()
    return lambda path: runner.invoke(
        args=["import", "studies", str(path), "--link", "fietsproject-0"]
    )


def test_a_failed_import_leaves_database_and_index_as_they_were(
    live_search_app, import_cli, tmp_path
):
    add("Fietsproject")
    before = state(live_search_app)
    result = import_cli(ris_file(tmp_path, 300, tail=b"TI  - kapot \x81\x90\n"))
    db.session.expire_all()
    assert (result.exit_code, "UTF-8" in result.output) == (1, True)
    assert state(live_search_app) == before
    assert not sync.verify(db.engine, index_dir(live_search_app))


def test_the_same_import_without_the_fault_does_change_them(live_search_app, import_cli, tmp_path):
    add("Fietsproject")
    before = state(live_search_app)
    result = import_cli(ris_file(tmp_path, 300))
    db.session.expire_all()
    assert result.exit_code == 0, result.output
    assert state(live_search_app)[0] != before[0]
