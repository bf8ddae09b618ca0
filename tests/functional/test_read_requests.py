"""A request that only read ends with COMMIT on PostgreSQL, so the connection keeps the
statements psycopg prepared (registry/read_requests.py); one that wrote or failed ends
as before."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from registry.extensions import db, on_postgresql
from registry.read_requests import is_reading
from tests.conftest import make_test_app


@pytest.mark.parametrize(("statement", "reading"), [
    ("SELECT interventions.id FROM interventions", True),
    ("  select 1", True),
    ("(SELECT 1) UNION (SELECT 2)", True),
    ("SAVEPOINT sa_savepoint_1", True),
    ("ROLLBACK TO SAVEPOINT sa_savepoint_1", True),
    ("INSERT INTO studies (title) VALUES ($1)", False),
    ("UPDATE api_tokens SET last_used_at = $1", False),
    ("DELETE FROM saved_profiles", False),
    ('COPY "studies" (id) FROM STDIN', False),
    ("WITH gone AS (DELETE FROM studies RETURNING id) SELECT count(*) FROM gone", False),
    ("", False),
])
def test_what_counts_as_reading(statement, reading):
    assert is_reading(statement) is reading


@pytest.fixture
def own_requests_app(app, database_url, tmp_path):
    """An app whose requests each get their own app context and session, as under
    gunicorn (the shared test session would keep one transaction over all of them)."""
    if not on_postgresql():
        pytest.skip("prepared statements are psycopg's on PostgreSQL")
    test_session = db.session
    db.session = db._make_scoped_session({})
    own = make_test_app(database_url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1})
    try:
        yield own
    finally:
        with own.app_context():
            db.engine.dispose()
        db.session = test_session


def _prepared(app) -> int:
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()


def test_reading_requests_keep_the_prepared_statements(own_requests_app):
    client = own_requests_app.test_client()
    for _ in range(7):  # psycopg prepares a statement on its sixth run
        assert client.get("/interventies").status_code == 200
    assert _prepared(own_requests_app) > 0


def test_a_failed_request_ends_with_a_rollback(own_requests_app):
    client = own_requests_app.test_client()
    for _ in range(7):
        client.get("/interventies")
    assert client.get("/interventies/bestaat-niet").status_code == 404
    assert _prepared(own_requests_app) == 0  # the rollback cleared them, as before
