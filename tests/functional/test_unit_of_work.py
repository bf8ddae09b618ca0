"""One transaction per request (registry/unit_of_work.py), on a database of its own so
commits are real: a successful POST is committed once, a refused one leaves nothing of
what its view flushed, and no view, API handler or service commits by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from registry.extensions import db
from registry.models import UserRole
from tests.conftest import app_on_own_database
from tests.unit.procedure.support import login, make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_app(db_session, own_database_url, tmp_path):
    with app_on_own_database(own_database_url, tmp_path) as app:
        yield app


def _roles_in_database(url: str, user_id: int) -> set[str]:
    """The user's roles as committed, read through a connection of its own."""
    table = UserRole.__table__
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stmt = select(table.c.role).where(table.c.user_id == user_id)
            return set(connection.execute(stmt).scalars())
    finally:
        engine.dispose()


@pytest.fixture
def admin_and_user(real_app):
    admin, other = make_user("admin"), make_user("professional")
    db.session.commit()
    client = real_app.test_client()
    login(client, admin)
    return client, other.id, real_app.config["SQLALCHEMY_DATABASE_URI"]


def test_a_successful_post_is_committed(admin_and_user):
    client, user_id, url = admin_and_user
    response = client.post(f"/beheer/gebruikers/{user_id}",
                           data={"roles": ["researcher"], "active": "true"})
    assert response.status_code == 302
    assert _roles_in_database(url, user_id) == {"researcher"}


def test_a_refused_post_leaves_nothing_its_view_flushed(admin_and_user):
    client, user_id, url = admin_and_user
    # The roles are set (and flushed) before the unknown organisation is refused.
    response = client.post(f"/beheer/gebruikers/{user_id}", data={
        "roles": ["researcher"], "active": "true", "organisation_id": "999999"})
    assert response.status_code == 422
    assert _roles_in_database(url, user_id) == {"professional"}


ALLOWED = {("registry/auth/views.py", "login")}  # a refused sign-in must still count


def _hand_commits():
    for package in ("registry/views", "registry/api", "registry/services", "registry/auth"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "cli.py":  # commands end their own unit of work (commit())
                continue
            tree = ast.parse(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef):
                    continue
                for node in ast.walk(function):
                    if (isinstance(node, ast.Attribute) and node.attr == "commit"
                            and ast.unparse(node.value) == "db.session"):
                        yield str(path.relative_to(ROOT)), function.name


def test_no_view_api_handler_or_service_commits_by_hand():
    assert set(_hand_commits()) - ALLOWED == set()
