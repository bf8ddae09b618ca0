"""Personal API tokens: shown once, stored hashed, revocable, carrying the user's roles."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import ApiToken
from registry.models.base import as_utc, utcnow
from tests.unit.procedure.support import (
    PASSWORD,
    drive,
    login,
    make_cast,
)


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def create_token(client, user) -> str:
    login(client, user)
    page = client.post("/account/tokens", data={"name": "script"}).get_data(as_text=True)
    return re.search(r'<code id="nieuw-token">([^<]+)</code>', page).group(1)


def test_token_is_stored_as_its_sha256_only(client, cast):
    secret = create_token(client, cast.owner)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/account/tokens").get_data(as_text=True)


def test_token_carries_the_users_roles(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    secret = create_token(client, cast.secretary)
    response = client.get(f"/api/v1/procedure/rounds/{round_.id}",
                          headers={"Authorization": f"Bearer {secret}"})
    assert response.get_json()["actions"] == ["start_screening"]


def test_a_revoked_token_is_refused(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    secret = create_token(client, cast.secretary)
    token = db.session.scalar(select(ApiToken))
    client.post(f"/account/tokens/{token.id}/intrekken")
    response = client.get(f"/api/v1/procedure/rounds/{round_.id}",
                          headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_a_password_change_revokes_every_token(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    secret = create_token(client, cast.secretary)  # made by whoever knew the password
    new = "een-heel-nieuw-wachtwoord-42"
    changed = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": new, "repeat_password": new})
    response = client.get(f"/api/v1/procedure/rounds/{round_.id}",
                          headers={"Authorization": f"Bearer {secret}"})
    assert (changed.status_code, response.status_code) == (302, 401)


def test_the_api_ignores_the_session_cookie(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    login(client, cast.secretary)
    assert client.get(f"/api/v1/procedure/rounds/{round_.id}").status_code == 401


def test_a_stale_draft_save_through_the_api_is_409(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    secret = create_token(client, cast.owner)
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/procedure/rounds/{round_.id}/description"
    stale = round_.version.lock_version
    body = {"title": "A", "summary": "s", "main_aim": "m", "target_group_text": "t",
            "approach": "a", "lock_version": stale}
    first = client.put(url, json=body, headers=headers)
    second = client.put(url, json=body | {"title": "B"}, headers=headers)
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.get_json()["error"]["code"] == "conflict"


def test_a_tokens_last_use_is_kept_to_the_hour_and_shown_to_its_owner(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    url = f"/api/v1/procedure/rounds/{round_.id}"
    secret = create_token(client, cast.secretary)
    token = db.session.scalar(select(ApiToken))
    assert "Nog niet" in client.get("/account/tokens").get_data(as_text=True)
    bearer = {"Authorization": f"Bearer {secret}"}

    assert client.get(url, headers=bearer).status_code == 200
    db.session.rollback()  # what a real GET's end does to work it did not commit
    first = as_utc(db.session.get(ApiToken, token.id).last_used_at)
    assert first is not None and utcnow() - first < timedelta(minutes=1)

    client.get(url, headers=bearer)
    assert as_utc(db.session.get(ApiToken, token.id).last_used_at) == first  # within the hour

    db.session.get(ApiToken, token.id).last_used_at = first - timedelta(hours=2)
    db.session.commit()
    client.get(url, headers=bearer)
    db.session.rollback()
    assert as_utc(db.session.get(ApiToken, token.id).last_used_at) > first
    assert "Nog niet" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_misspelt_field_in_an_api_body_is_refused_by_name(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    headers = {"Authorization": f"Bearer {create_token(client, cast.owner)}"}
    body = {"title": "A", "sumary": "vergeten", "lock_version": round_.version.lock_version}
    response = client.put(f"/api/v1/procedure/rounds/{round_.id}/description", json=body,
                          headers=headers)
    assert response.status_code == 422
    (detail,) = response.get_json()["error"]["details"]
    assert detail["field"] == "sumary" and "Onbekend veld" in detail["messages"][0]
    db.session.refresh(round_.version)
    assert round_.version.title != "A"  # nothing of it was saved


@pytest.mark.parametrize(("authorization", "expected"), [
    (None, 'Bearer realm="api"'),
    ("Bearer ongeldig", 'Bearer realm="api", error="invalid_token"'),
])
def test_a_401_says_how_to_authenticate(client, cast, authorization, expected):
    round_ = drive(cast, "submitted")
    db.session.commit()
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(f"/api/v1/procedure/rounds/{round_.id}", headers=headers)
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, expected)


def test_the_openapi_document_asks_for_the_token_where_the_api_needs_it(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    paths = document["paths"]
    assert paths["/api/v1/procedure/rounds/{round_id}"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/v1/search"]["get"]
    assert "Alleen-lezen" not in document["info"]["description"]
