"""Fixtures shared by functional tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask_migrate import upgrade

from registry.extensions import db
from registry.search import sync
from registry.services.vocabularies import load_vocabularies
from search_index import searchers
from tests.conftest import app_on_own_database, make_test_app
from tests.functional.search_support import connect_args, index_dir


@pytest.fixture
def live_search_app(db_session, own_database_url, tmp_path) -> Iterator[Flask]:
    """An app on a database of its own with inline search sync, inside its app context:
    commits are real, and the index follows them as in production."""
    settings = {"SEARCH_SYNC": "inline",
                "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": connect_args(own_database_url)}}
    with app_on_own_database(own_database_url, tmp_path, **settings) as app:
        try:
            sync.rebuild_all(db.engine, index_dir(app))
            yield app
        finally:
            searchers.release_all()


@contextmanager
def app_with_own_sessions(url: str, tmp_path, revision: str = "head",
                          **overrides) -> Iterator[Flask]:
    """An app on a database of its own (migrated to revision, vocabularies loaded),
    not inside an app context: each request, thread or `with app.app_context()` gets a
    session of its own on the app's engine (the per-test session is bound to the shared
    test connection), and what they write is committed, as in production."""
    app = make_test_app(url, tmp_path, **overrides)
    saved = db.session
    db.session = db._make_scoped_session({})
    try:
        with app.app_context():
            upgrade(revision=revision)
            load_vocabularies()
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db.session = saved


@pytest.fixture
def threaded_app(own_database_url, tmp_path) -> Iterator[Flask]:
    """An app on a database of its own for requests in threads of their own, at the
    same moment (app_with_own_sessions)."""
    with app_with_own_sessions(own_database_url, tmp_path,
                               IMPORT_UPLOAD_DIR=str(tmp_path)) as app:
        yield app
