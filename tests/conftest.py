"""Test fixtures: one migrated database per run (SQLite or PostgreSQL), a rolled-back
transaction per test, and factories bound to the test session.

REGISTRY_TEST_DATABASE_URL picks the database server; for PostgreSQL each run creates
and drops its own database, so parallel runs never meet.
"""

from __future__ import annotations

import gc
import os
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import make_url

from registry import create_app
from registry.extensions import db
from registry.services.vocabularies import load_vocabularies


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@contextmanager
def new_database(folder: Path, label: str) -> Iterator[str]:
    """The URL of an empty database of its own, dropped afterwards.

    SQLite: a file in `folder`. PostgreSQL (REGISTRY_TEST_DATABASE_URL): a new database
    on that server, so parallel runs and tests that commit for real never meet.
    """
    server_url = os.environ.get("REGISTRY_TEST_DATABASE_URL", "")
    if not _is_postgres(server_url):
        yield f"sqlite:///{folder / f'{label}.sqlite'}"
        return
    name = f"registry_{label}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        # Connections the test's app left open to this database (a thread finishing
        # after the fixture, a session never closed) go with it: collected here, where
        # their ResourceWarning is expected, not in whichever later test the collector
        # happens to run in (where pytest turned it into that test's error).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    with new_database(tmp_path_factory.mktemp("db"), "test") as url:
        yield url


@pytest.fixture
def own_database_url(tmp_path) -> Iterator[str]:
    """An empty database for one test that commits for real (concurrency, after-commit)."""
    with new_database(tmp_path, "own") as url:
        yield url


def make_test_app(database_url: str, tmp_path, **overrides) -> Flask:
    """A test app on an existing database, with its own index folder."""
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INDEX_DIR": str(tmp_path / "index"),
        "OPENDATA_DIR": str(tmp_path / "opendata"),
        "WTF_CSRF_ENABLED": False,
    }
    settings.update(overrides)
    return create_app(settings)


@contextmanager
def app_on_own_database(url: str, tmp_path, vocabularies: bool = True,
                        **overrides) -> Iterator[Flask]:
    """A migrated app on a database of its own, inside its app context, whose commits
    are real (the per-test session is bound to the shared test connection; this app
    gets sessions of its own on its own engine)."""
    app = make_test_app(url, tmp_path, **overrides)
    original = db.session
    with app.app_context():
        db.session = db._make_scoped_session({})
        try:
            upgrade()
            if vocabularies:
                load_vocabularies()
                db.session.commit()
            yield app
        finally:
            db.session.remove()
            db.session = original
            db.engine.dispose()


def _real_sqlite_transactions(engine: sa.Engine) -> None:
    """Let SQLite honour the per-test rollback.

    pysqlite begins a transaction only before the first write, so a SAVEPOINT emitted
    earlier starts one and its RELEASE (a view's commit) commits for real. SQLAlchemy's
    documented remedy: the driver autocommits and we emit BEGIN ourselves. Only for the
    shared test engine: the app keeps pysqlite's lazy BEGIN, whose read-then-write
    behaviour lets concurrent SQLite writers wait for each other instead of failing.
    """
    if engine.dialect.name != "sqlite":
        return
    sa.event.listen(
        engine, "connect", lambda dbapi, record: setattr(dbapi, "isolation_level", None)
    )
    sa.event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    app = make_test_app(database_url, tmp_path_factory.mktemp("app"))
    with app.app_context():
        _real_sqlite_transactions(db.engine)
        upgrade()
        load_vocabularies()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


class ConnectionBoundSession(FlaskSession):
    # Flask-SQLAlchemy's get_bind picks the engine per table and so would ignore the
    # test's connection: commits in views would really commit and leak into other tests.
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper, clause, bind, **kwargs)


@contextmanager
def session_on(connection: sa.Connection) -> Iterator:
    """db.session bound to `connection` inside its transaction: commits become savepoints,
    and nothing is written beyond what the caller rolls back."""
    original = db.session
    db.session = db._make_scoped_session(
        {
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "class_": ConnectionBoundSession,
        }
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original


@pytest.fixture(autouse=True)
def db_session(app) -> Iterator:
    """Run each test inside a transaction that is rolled back; commits become savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            with session_on(connection) as session:
                yield session
        finally:
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()
