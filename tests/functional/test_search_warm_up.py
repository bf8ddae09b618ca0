"""A server process builds its search views before it serves (gunicorn.conf.py
post_worker_init → registry.search.service.warm_up): the first search then finds the
view and the text norms ready instead of building them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from registry.extensions import db
from registry.search import service, sync
from registry.search.kinds import INTERVENTIONS, STUDIES
from search_index import searchers
from search_index.view import VIEWS
from tests.factories import make_intervention


@pytest.fixture
def index_dir(app, db_session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "index"))
    make_intervention(title="Schuldhulp voor jongeren")
    db.session.flush()
    sync.rebuild(db_session.connection(), INTERVENTIONS.root(app.config["INDEX_DIR"]))
    yield Path(app.config["INDEX_DIR"])
    searchers.release_all()


def test_the_first_search_in_another_thread_finds_the_view_built(app, index_dir):
    warmed = service.warm_up(app)
    views_built = list(VIEWS._views.values())
    found = {}

    def first_search():  # a request thread of the same process
        searcher, view = searchers.acquire(INTERVENTIONS.root(index_dir))
        found["view"], found["norms"] = view, set(view._norms)  # before it searches
        searchers.release_all()

    thread = threading.Thread(target=first_search)
    thread.start()
    thread.join()

    assert warmed == {INTERVENTIONS.name: True, STUDIES.name: False}  # no study index
    assert any(found["view"] is view for view in views_built)
    assert {"text", "title_prefix"} <= found["norms"]
