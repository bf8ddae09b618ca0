"""A failed import leaves the database, the search change log and the search index
exactly as they were: on a database of its own with inline search sync, committed to
for real (the CLI commits or rolls back as in production)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from importers import pipeline
from registry.extensions import db
from registry.models import ImportBatch, InterventionStudy, SearchChange, Study
from search_index import indexer, searchers
from tests.functional.test_search_sync import (  # noqa: F401  (fixtures)
    _root,
    add,
    fresh_url,
    live,
    total,
)

RECORD = "TY  - JOUR\nAU  - Jansen, P.\nTI  - Fietsproject in wijk {n}\nPY  - 2020\nER  - \n\n"


def ris_file(tmp_path, records: int, tail: bytes = b""):
    path = tmp_path / "studies.ris"
    path.write_bytes("".join(RECORD.format(n=n) for n in range(records)).encode() + tail)
    return path


def state(app) -> tuple:
    searcher, _view = searchers.acquire(_root(app))
    counts = tuple(db.session.scalar(select(func.count()).select_from(model))
                   for model in (Study, InterventionStudy, SearchChange, ImportBatch))
    return counts, searcher.doc_count(), total(app, "fietsproject")


@pytest.fixture
def import_cli(live, monkeypatch):  # noqa: F811  (the fixture imported above)
    # Small chunks, so the failure comes after several chunks were written and linked.
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 10)
    runner = live.test_cli_runner()
    return lambda path: runner.invoke(args=["import", "studies", str(path), "--link",
                                            "fietsproject-0"])


def test_a_failed_import_leaves_database_and_index_as_they_were(live, import_cli,  # noqa: F811
                                                                tmp_path):
    add("Fietsproject")
    before = state(live)
    result = import_cli(ris_file(tmp_path, 300, tail=b"TI  - kapot \xff\xfe\n"))
    db.session.expire_all()
    assert (result.exit_code, "UTF-8" in result.output) == (1, True)
    assert state(live) == before
    assert not indexer.verify(db.engine, _root(live))


def test_the_same_import_without_the_fault_does_change_them(live, import_cli,  # noqa: F811
                                                            tmp_path):
    add("Fietsproject")
    before = state(live)
    result = import_cli(ris_file(tmp_path, 300))
    db.session.expire_all()
    assert result.exit_code == 0, result.output
    assert state(live)[0] != before[0]
