"""The real after-commit path on a separate database: inline sync, rebuild while
searching, verify/fix, damaged index, and two writer processes at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.models import Intervention, InterventionVersion
from registry.search import sync
from search_index import searchers
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
    assert sync.verify(db.engine, index_dir(live_search_app)).ids == []


def test_verify_lists_and_fix_repairs_a_missed_change(live_search_app):
    item = add("Oude titel")
    with db.engine.begin() as conn:  # a change that bypassed the ORM and its change log
        conn.execute(
            sa.update(InterventionVersion)
            .where(InterventionVersion.id == item.published_version_id)
            .values(title="Nieuwe titel")
        )
    diff = sync.verify(db.engine, index_dir(live_search_app))
    assert diff.stale == [item.id]
    sync.fix(db.engine, index_dir(live_search_app), diff)
    assert not sync.verify(db.engine, index_dir(live_search_app))


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
        sync.rebuild(db.engine, index_dir(live_search_app))
    done.set()
    thread.join(10)
    assert (failures, set(counts)) == ([], {30})


def test_damaged_index_is_healed_by_rebuild(live_search_app):
    add("Herstel")
    current = (index_dir(live_search_app) / "current").resolve()
    for path in current.iterdir():
        path.write_bytes(b"kapot")
    searchers.release_all()
    sync.rebuild(db.engine, index_dir(live_search_app))
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
    assert not sync.verify(db.engine, index_dir(live_search_app))


def test_rebuild_removes_generations_retired_longer_than_the_grace_period(live_search_app):
    root = index_dir(live_search_app)
    for _ in range(3):
        sync.rebuild(db.engine, root)
    for folder in root.glob("gen-*"):
        os.utime(folder, (0, 0))  # retired long ago
    sync.rebuild(db.engine, root)
    # The new generation and the one it just replaced (readers may still be on it).
    assert len(list(root.glob("gen-*"))) == 2
    shutil.rmtree(root, ignore_errors=True)


KILLED_REBUILD = """
import os, signal, sys
from registry import create_app
from registry.extensions import db
from registry.search import sync
url, index, ready = sys.argv[1:4]

def fill_then_die(bind, ix, procs, kind=None):
    writer = ix.writer()
    writer.add_document(id="999999", text="half")
    writer.commit()
    open(ready, "w").close()
    signal.pause()  # the parent kills us here, mid-rebuild

sync._fill = fill_then_die
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INDEX_DIR": index,
                  "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": %s}})
with app.app_context():
    sync.rebuild(db.engine, __import__("pathlib").Path(index))
"""


@pytest.mark.slow
def test_a_rebuild_killed_with_sigkill_blocks_neither_sync_nor_the_next_rebuild(
    live_search_app, tmp_path
):
    root = index_dir(live_search_app)
    add("Voor de crash")
    live = (root / "current").resolve()
    url = live_search_app.config["SQLALCHEMY_DATABASE_URI"]
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_REBUILD % repr(connect_args(url)), url, str(root),
         str(ready)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _wait_for(ready, child)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    add("Na de crash")  # the inline sync must still reach the live index
    assert total(live_search_app, "crash") == 2

    orphans = [p for p in root.glob("gen-*") if p.resolve() != live]
    assert len(orphans) == 1
    os.utime(orphans[0], (0, 0))  # died long ago
    sync.rebuild(db.engine, root)
    folders = {p.resolve() for p in root.glob("gen-*")}
    assert folders == {(root / "current").resolve(), live}  # the orphan is gone
    assert not sync.verify(db.engine, root)


def _wait_for(path: Path, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert child.poll() is None, "the rebuild process ended early"
        assert time.monotonic() < deadline, "the rebuild never started filling"
        time.sleep(0.05)


def _commit_while_the_index_is_locked(app, title: str) -> None:
    """Commit a change while another writer holds the index: its after-commit sync gives
    up after SEARCH_INLINE_LOCK_TIMEOUT and the change waits in the log."""
    from registry.search.kinds import INTERVENTIONS
    from search_index import storage

    app.config["SEARCH_INLINE_LOCK_TIMEOUT"] = 0.1
    with storage.writer_lock(INTERVENTIONS.root(index_dir(app)), 5):
        add(title)
    assert total(app, title) == 0
    assert sync.verify(db.engine, index_dir(app)).missing


def test_a_change_its_commit_could_not_apply_is_caught_up_without_another_commit(
        live_search_app):
    from registry.search.catch_up import apply_waiting

    _commit_while_the_index_is_locked(live_search_app, "Wachtend")
    assert apply_waiting(live_search_app, 1.0) >= 1

    assert total(live_search_app, "wachtend") == 1
    assert not sync.verify(db.engine, index_dir(live_search_app))


def test_an_inline_process_runs_one_catch_up_thread_and_it_applies_what_waits(
        live_search_app):
    from registry.search.catch_up import CatchUp

    live_search_app.config["SEARCH_CATCH_UP_SECONDS"] = 0.05
    catch_up = CatchUp(live_search_app)
    try:
        _commit_while_the_index_is_locked(live_search_app, "Ingehaald")
        catch_up.ensure_started()
        catch_up.ensure_started()  # every request asks; one thread per process
        assert [t.name for t in threading.enumerate()].count("search-catch-up") == 1
        deadline = time.monotonic() + 20
        while total(live_search_app, "ingehaald") == 0:
            assert time.monotonic() < deadline, "the catch-up thread never applied it"
            time.sleep(0.05)
    finally:
        catch_up.stop()


@pytest.mark.parametrize(("mode", "seconds"), [("worker", 30.0), ("off", 30.0),
                                               ("inline", 0.0)])
def test_the_catch_up_thread_runs_only_for_inline_sync(app, monkeypatch, mode, seconds):
    from registry.search.catch_up import init_catch_up

    monkeypatch.setitem(app.config, "SEARCH_CATCH_UP_SECONDS", seconds)
    monkeypatch.delitem(app.extensions, "search_catch_up", raising=False)
    init_catch_up(app, mode)
    assert "search_catch_up" not in app.extensions


def test_an_inline_app_starts_its_catch_up_on_a_request():
    from flask import Flask

    from registry.search.catch_up import CatchUp, init_catch_up

    fresh = Flask(__name__)
    fresh.config.update(SEARCH_CATCH_UP_SECONDS=30.0)
    init_catch_up(fresh, "inline")
    catch_up = fresh.extensions["search_catch_up"]
    assert isinstance(catch_up, CatchUp)
    assert catch_up.ensure_started in fresh.before_request_funcs[None]
