"""A request that only read ends with COMMIT on PostgreSQL, so the connection keeps the
statements psycopg prepared (registry/read_requests.py); one that wrote or failed ends
as before."""

from __future__ import annotations

import pytest
from sqlalchemy import pool as sa_pool
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


def test_a_connection_ended_by_the_server_does_not_cost_a_read_its_answer(own_requests_app):
    """PostgreSQL ends the request's connection after the page is made (a restart,
    pg_terminate_backend): the ending COMMIT fails, and the page still goes out; the
    next request gets a working connection."""
    from sqlalchemy import create_engine

    url = own_requests_app.config["SQLALCHEMY_DATABASE_URI"]
    killer = create_engine(url, poolclass=sa_pool.NullPool)

    @own_requests_app.after_request
    def end_the_connection(response):
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    client = own_requests_app.test_client()
    try:
        response = client.get("/interventies")
        assert response.status_code == 200 and b"<h1" in response.data
    finally:
        own_requests_app.after_request_funcs[None].remove(end_the_connection)
        killer.dispose()
    assert client.get("/interventies").status_code == 200
