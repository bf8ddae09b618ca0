"""GET /healthz (alive) and /readyz (database, migrations, search index, index lag)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, text, update

from registry.extensions import db
from registry.models import SearchChange, SearchReplica
from registry.models.base import utcnow
from registry.search.kinds import STUDIES
from tests.conftest import make_test_app
from tests.functional.search_support import add, index_dir

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


@pytest.fixture
def unreachable_app(tmp_path) -> Iterator[Flask]:
    """An app whose database cannot be reached, with sessions of its own (not the test's)."""
    app = make_test_app(UNREACHABLE, tmp_path)
    original = db.session
    with app.app_context():
        db.session = db._make_scoped_session({})
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original
            db.engine.dispose()


def readyz(app: Flask):
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()


def failed_checks(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if check["status"] != "ok"}


def test_healthz_answers_without_the_database(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_ready_when_every_check_passes(live_search_app):
    status, body = readyz(live_search_app)
    assert (status, body["status"], failed_checks(body)) == (200, "ok", set())


def test_unreachable_database_is_not_ready(unreachable_app):
    status, body = readyz(unreachable_app)
    assert (status, body["checks"]["database"]["status"]) == (503, "fail")


def test_schema_behind_the_migrations_is_not_ready(live_search_app):
    db.session.execute(text("UPDATE alembic_version SET version_num = '0004_imports'"))
    db.session.commit()
    status, body = readyz(live_search_app)
    assert (status, failed_checks(body)) == (503, {"migrations"})
    assert body["checks"]["migrations"]["database"] == ["0004_imports"]


def test_missing_search_index_is_not_ready(live_search_app):
    os.unlink(index_dir(live_search_app) / "current")
    status, body = readyz(live_search_app)
    assert (status, failed_checks(body)) == (503, {"search_index"})


def test_missing_study_index_is_not_ready(live_search_app):
    os.unlink(STUDIES.root(index_dir(live_search_app)) / "current")
    status, body = readyz(live_search_app)
    assert (status, failed_checks(body)) == (503, {"study_index"})


def test_index_folder_unknown_to_the_database_is_not_ready(live_search_app):
    db.session.execute(delete(SearchReplica))
    db.session.commit()
    status, body = readyz(live_search_app)
    assert (status, failed_checks(body)) == (503, {"search_lag", "study_lag"})
    assert body["checks"]["search_lag"]["reason"] == "unknown"


def test_index_lagging_beyond_the_limit_is_not_ready(live_search_app):
    live_search_app.config["SEARCH_SYNC"] = "worker"  # nobody applies the change
    add("Jobcoach")
    db.session.execute(update(SearchChange).values(recorded_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    status, body = readyz(live_search_app)
    # Both replicas read the one change log: neither has applied the change.
    assert (status, failed_checks(body)) == (503, {"search_lag", "study_lag"})
    assert body["checks"]["search_lag"]["seconds"] >= 300


def test_lag_limit_comes_from_configuration(live_search_app):
    live_search_app.config.update(SEARCH_SYNC="worker", READY_MAX_LAG_SECONDS=600)
    add("Jobcoach")
    db.session.execute(update(SearchChange).values(recorded_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert readyz(live_search_app)[0] == 200


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_set_no_cookie(live_search_app, url):
    client = live_search_app.test_client()
    client.get("/taal/en")  # a visitor with a session: still nothing set on a probe
    response = client.get(url)
    assert response.headers.get_all("Set-Cookie") == []


def test_readiness_is_not_localized(live_search_app):
    client = live_search_app.test_client()
    client.get("/taal/en")
    english = client.get("/readyz?lang=en").get_json()
    assert english == live_search_app.test_client().get("/readyz").get_json()

