"""Fixtures shared by functional tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from tests.conftest import app_on_own_database
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
