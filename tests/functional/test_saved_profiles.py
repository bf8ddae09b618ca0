"""Saved client profiles: a professional saves one (the label refused when it holds
personal data), sees it listed, opens it to see what is new or re-rated since the last
visit, and deletes it; nobody else's profile is reachable; deleting an account deletes
its profiles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import SavedProfile
from registry.models.base import utcnow
from registry.search import sync
from search_index import searchers
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user

PROFILE = {"rung": "2", "barrier": "debt"}


@pytest.fixture
def indexed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    old = make_intervention(title="Schuldhulp al bekend", tags={"barrier": ["debt"]})
    old.published_version.published_at = utcnow() - timedelta(days=30)
    fresh = make_intervention(title="Schuldhulp nieuw", tags={"barrier": ["debt"]})
    fresh.published_version.published_at = utcnow() + timedelta(days=1)  # after any visit
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


@pytest.fixture
def professional(client):
    user = make_user("professional")
    db.session.commit()
    login(client, user)
    return user


def save(client, label: str, **profile):
    return client.post("/zoeken/profiel/bewaren", data={"label": label, **PROFILE, **profile})


def profiles() -> int:
    return db.session.scalar(select(func.count()).select_from(SavedProfile))


def test_a_profile_is_saved_with_its_characteristics_only(client, professional):
    response = save(client, "Jongere met schulden, trede 2", goal="geheim doel")
    assert response.status_code == 302
    saved = db.session.scalars(select(SavedProfile)).one()
    assert (saved.label, saved.query) == ("Jongere met schulden, trede 2",
                                          {"rung": ["2"], "barrier": ["debt"]})


@pytest.mark.parametrize(("label", "reason"), [
    ("Cliënt 111222333", "burgerservicenummer"), ("Geboren 12-03-1980", "datum"),
    ("jan@example.org", "e-mailadres"), ("Bel 06-12345678", "telefoonnummer"),
    ("", "Geef het profiel een label"), ("x" * 81, "hooguit 80 tekens")])
def test_a_label_with_personal_data_is_refused_and_nothing_saved(client, professional,
                                                                   label, reason):
    response = save(client, label)
    assert (response.status_code, reason in response.get_data(as_text=True)) == (422, True)
    assert profiles() == 0


def test_a_profile_without_characteristics_is_refused(client, professional):
    response = client.post("/zoeken/profiel/bewaren", data={"label": "Leeg"})
    assert (response.status_code, profiles()) == (422, 0)


def test_the_profile_page_shows_what_is_new_since_the_last_visit(client, professional,
                                                                   indexed):
    save(client, "Schulden trede 2")
    saved = db.session.scalars(select(SavedProfile)).one()
    html = client.get(f"/mijn/profielen/{saved.id}").get_data(as_text=True)
    assert "Schuldhulp nieuw" in html and "Schuldhulp al bekend" not in html
    assert "Nieuw in de databank" in html


def test_the_list_shows_the_users_profiles_and_delete_removes_one(client, professional):
    save(client, "Schulden trede 2")
    saved = db.session.scalars(select(SavedProfile)).one()
    assert "Schulden trede 2" in client.get("/mijn/profielen").get_data(as_text=True)
    client.post(f"/mijn/profielen/{saved.id}/verwijderen")
    assert profiles() == 0


def test_another_users_profile_is_not_found(client, professional):
    other = make_user("professional")
    db.session.add(SavedProfile(user_id=other.id, label="Van een ander",
                                query={"barrier": ["debt"]}))
    db.session.commit()
    theirs = db.session.scalars(select(SavedProfile)).one()
    assert client.get(f"/mijn/profielen/{theirs.id}").status_code == 404
    assert client.post(f"/mijn/profielen/{theirs.id}/verwijderen").status_code == 404
    assert profiles() == 1


def test_deleting_an_account_deletes_its_profiles(db_session):
    user = make_user("professional")
    db.session.add(SavedProfile(user_id=user.id, label="Schulden", query={"barrier": ["debt"]}))
    db.session.flush()
    db.session.delete(user)
    db.session.flush()
    assert profiles() == 0


def test_a_visit_is_remembered_so_the_next_one_shows_only_what_came_after(
        client, professional, app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    make_intervention(title="Schuldhulp van gisteren", tags={"barrier": ["debt"]}
                      ).published_version.published_at = utcnow() - timedelta(days=1)
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    save(client, "Schulden trede 2")
    saved = db.session.scalars(select(SavedProfile)).one()
    saved.last_visited_at = utcnow() - timedelta(days=3)
    db.session.commit()
    try:
        first = client.get(f"/mijn/profielen/{saved.id}").get_data(as_text=True)
        # What a real GET's end does to work it did not commit (the test's requests share
        # the test's session, so nothing ends it for them).
        db.session.rollback()
        second = client.get(f"/mijn/profielen/{saved.id}").get_data(as_text=True)
    finally:
        searchers.release_all()
    assert "Schuldhulp van gisteren" in first
    assert "Schuldhulp van gisteren" not in second


def test_a_visit_while_the_index_is_unavailable_keeps_what_is_new_for_the_next(
        client, professional, app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))  # not built: unavailable
    make_intervention(title="Schuldhulp van gisteren", tags={"barrier": ["debt"]}
                      ).published_version.published_at = utcnow() - timedelta(days=1)
    save(client, "Schulden trede 2")
    saved = db.session.scalars(select(SavedProfile)).one()
    saved.last_visited_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert client.get(f"/mijn/profielen/{saved.id}").status_code == 200
    db.session.rollback()  # what a real GET's end does to work it did not commit
    sync.rebuild(db_session.connection(), root)
    try:
        html = client.get(f"/mijn/profielen/{saved.id}").get_data(as_text=True)
    finally:
        searchers.release_all()
    assert "Schuldhulp van gisteren" in html
