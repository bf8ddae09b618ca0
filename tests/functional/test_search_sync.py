"""The real after-commit path on a separate database: inline sync, rebuild while
searching, verify/fix, damaged index, and two writer processes at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from registry.extensions import db
from registry.models import Intervention, InterventionVersion
from registry.services.vocabularies import load_vocabularies
from search_index import indexer, searchers
from search_index.query import SearchRequest, run_search
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_url(database_url, tmp_path):
    """A database of its own, committed to for real (SQLite file or PostgreSQL)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'own.sqlite'}"
        return
    name = f"registry_search_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def live(db_session, fresh_url, tmp_path):
    """An app on the fresh database with inline sync, inside its app context."""
    app = make_test_app(fresh_url, tmp_path, SEARCH_SYNC="inline",
                        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": _connect_args(fresh_url)})
    original = db.session
    with app.app_context():
        db.session = db._make_scoped_session({})
        try:
            upgrade()
            load_vocabularies()
            db.session.commit()
            indexer.rebuild(db.engine, _root(app))
            yield app
        finally:
            db.session.remove()
            db.session = original
            searchers.release_all()
            db.engine.dispose()


def _connect_args(url: str) -> dict:
    return {"timeout": 30} if url.startswith("sqlite") else {}


def _root(app) -> Path:
    return Path(app.config["INDEX_DIR"])


def add(title: str, number: int = 0) -> Intervention:
    intervention = Intervention(slug=f"{title.lower().replace(' ', '-')}-{number}")
    version = InterventionVersion(
        number=1, status="published", title=title, summary="Begeleiding naar werk.",
        main_aim="Werk.", target_group_text="Iedereen.", approach="Stap voor stap.",
    )
    intervention.versions.append(version)
    db.session.add(intervention)
    db.session.flush()
    intervention.published_version = version
    db.session.commit()
    return intervention


def total(app, text: str) -> int:
    searcher, view = searchers.acquire(_root(app))
    return run_search(searcher, view, SearchRequest(text)).total


def test_commit_makes_the_change_searchable(live):
    add("Fietsproject")
    assert total(live, "fietsproject") == 1


def test_rollback_leaves_index_and_log_untouched(live):
    add("Blijvend")
    intervention = Intervention(slug="weg")
    db.session.add(intervention)
    db.session.flush()
    db.session.rollback()
    assert indexer.verify(db.engine, _root(live)).ids == []


def test_verify_lists_and_fix_repairs_a_missed_change(live):
    item = add("Oude titel")
    with db.engine.begin() as conn:  # a change that bypassed the ORM and its change log
        conn.execute(sa.update(InterventionVersion).where(
            InterventionVersion.id == item.published_version_id).values(title="Nieuwe titel"))
    diff = indexer.verify(db.engine, _root(live))
    assert diff.stale == [item.id]
    indexer.fix(db.engine, _root(live), diff)
    assert not indexer.verify(db.engine, _root(live))


def test_searches_keep_working_during_a_rebuild(live):
    for n in range(30):
        add("Leerwerkplek", n)
    failures, counts, done = [], [], threading.Event()

    def search_loop():
        with live.app_context():
            while not done.is_set():
                try:
                    counts.append(total(live, "leerwerkplek"))
                except Exception as error:  # noqa: BLE001 (any failure fails the test)
                    failures.append(error)
            searchers.release_all()

    thread = threading.Thread(target=search_loop)
    thread.start()
    for _ in range(3):
        indexer.rebuild(db.engine, _root(live))
    done.set()
    thread.join(10)
    assert (failures, set(counts)) == ([], {30})


def test_damaged_index_is_healed_by_rebuild(live):
    add("Herstel")
    current = (_root(live) / "current").resolve()
    for path in current.iterdir():
        path.write_bytes(b"kapot")
    searchers.release_all()
    indexer.rebuild(db.engine, _root(live))
    assert total(live, "herstel") == 1


WRITER = """
import sys
from registry import create_app
from registry.extensions import db
from tests.functional.test_search_sync import add
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
def test_two_writer_processes_lose_no_update(live):
    url = live.config["SQLALCHEMY_DATABASE_URI"]
    code = WRITER % repr(_connect_args(url))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", code, url, str(_root(live)), name],
                              cwd=ROOT, env=env) for name in ("Alfa", "Bravo")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert (total(live, "alfa klaar"), total(live, "bravo klaar"), total(live, "voorlopig")) == (
        15, 15, 0)
    assert not indexer.verify(db.engine, _root(live))


def test_rebuild_leaves_no_old_generations_behind(live):
    for _ in range(4):
        indexer.rebuild(db.engine, _root(live))
    assert len(list(_root(live).glob("gen-*"))) <= 2
    shutil.rmtree(_root(live), ignore_errors=True)
