"""Fixtures shared by functional tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade

from registry.extensions import db
from registry.services.vocabularies import load_vocabularies
from search_index import indexer, searchers
from tests.conftest import make_test_app
from tests.functional.search_support import connect_args, index_dir


@pytest.fixture
def live_search_app(db_session, own_database_url, tmp_path) -> Iterator[Flask]:
    """An app on a database of its own with inline search sync, inside its app context:
    commits are real, and the index follows them as in production."""
    app = make_test_app(
        own_database_url,
        tmp_path,
        SEARCH_SYNC="inline",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": connect_args(own_database_url)},
    )
    original = db.session
    with app.app_context():
        # The per-test session is bound to the shared test connection; this app needs
        # sessions of its own on its own engine.
        db.session = db._make_scoped_session({})
        try:
            upgrade()
            load_vocabularies()
            db.session.commit()
            indexer.rebuild(db.engine, index_dir(app))
            yield app
        finally:
            db.session.remove()
            db.session = original
            searchers.release_all()
            db.engine.dispose()
