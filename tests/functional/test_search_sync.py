"""The real after-commit path on a separate database: inline sync, rebuild while
searching, verify/fix, damaged index, and two writer processes at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.models import Intervention, InterventionVersion
from search_index import indexer, searchers
from tests.functional.search_support import add, connect_args, index_dir, total

ROOT = Path(__file__).resolve().parents[2]


def test_commit_makes_the_change_searchable(live_search_app):
    add("Fietsproject")
    assert total(live_search_app, "fietsproject") == 1


def test_rollback_leaves_index_and_log_untouched(live_search_app):
    add("Blijvend")
    intervention = Intervention(slug="weg")
    db.session.add(intervention)
    db.session.flush()
    db.session.rollback()
    assert indexer.verify(db.engine, index_dir(live_search_app)).ids == []


def test_verify_lists_and_fix_repairs_a_missed_change(live_search_app):
    item = add("Oude titel")
    with db.engine.begin() as conn:  # a change that bypassed the ORM and its change log
        conn.execute(
            sa.update(InterventionVersion)
            .where(InterventionVersion.id == item.published_version_id)
            .values(title="Nieuwe titel")
        )
    diff = indexer.verify(db.engine, index_dir(live_search_app))
    assert diff.stale == [item.id]
    indexer.fix(db.engine, index_dir(live_search_app), diff)
    assert not indexer.verify(db.engine, index_dir(live_search_app))


def test_searches_keep_working_during_a_rebuild(live_search_app):
    for n in range(30):
        add("Leerwerkplek", n)
    failures, counts, done = [], [], threading.Event()

    def search_loop():
        with live_search_app.app_context():
            while not done.is_set():
                try:
                    counts.append(total(live_search_app, "leerwerkplek"))
                except Exception as error:  # noqa: BLE001 (any failure fails the test)
                    failures.append(error)
            searchers.release_all()

    thread = threading.Thread(target=search_loop)
    thread.start()
    for _ in range(3):
        indexer.rebuild(db.engine, index_dir(live_search_app))
    done.set()
    thread.join(10)
    assert (failures, set(counts)) == ([], {30})


def test_damaged_index_is_healed_by_rebuild(live_search_app):
    add("Herstel")
    current = (index_dir(live_search_app) / "current").resolve()
    for path in current.iterdir():
        path.write_bytes(b"kapot")
    searchers.release_all()
    indexer.rebuild(db.engine, index_dir(live_search_app))
    assert total(live_search_app, "herstel") == 1


WRITER = """
import sys
from registry import create_app
from registry.extensions import db
from tests.functional.search_support import add
url, index, name = sys.argv[1:4]
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INDEX_DIR": index,
                  "SEARCH_SYNC": "inline", "SEARCH_LOCK_TIMEOUT": 30.0,
                  "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": %s}})
with app.app_context():
    for n in range(15):
        item = add(f"{name} voorlopig", n)
        item.published_version.title = f"{name} klaar"
        db.session.commit()
"""


@pytest.mark.slow
def test_two_writer_processes_lose_no_update(live_search_app):
    url = live_search_app.config["SQLALCHEMY_DATABASE_URI"]
    code = WRITER % repr(connect_args(url))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, str(index_dir(live_search_app)), name],
            cwd=ROOT,
            env=env,
        )
        for name in ("Alfa", "Bravo")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert (
        total(live_search_app, "alfa klaar"),
        total(live_search_app, "bravo klaar"),
        total(live_search_app, "voorlopig"),
    ) == (15, 15, 0)
    assert not indexer.verify(db.engine, index_dir(live_search_app))


def test_rebuild_leaves_no_old_generations_behind(live_search_app):
    for _ in range(4):
        indexer.rebuild(db.engine, index_dir(live_search_app))
    assert len(list(index_dir(live_search_app).glob("gen-*"))) <= 2
    shutil.rmtree(index_dir(live_search_app), ignore_errors=True)
