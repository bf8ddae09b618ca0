"""Security headers on every response: pages, API answers and errors alike."""

from __future__ import annotations

import pytest

from registry.ops.headers import HEADERS, HSTS
from tests.conftest import make_test_app

URLS = ["/", "/api/v1/vocabularies", "/bestaat-niet", "/api/v1/bestaat-niet"]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert {name: response.headers.get(name) for name in HEADERS} == HEADERS


def test_the_policy_allows_nothing_inline_and_no_framing(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert {"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} <= {
        part.strip() for part in policy.split(";")
    }


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize("url", ["/", "/bestaat-niet"])
def test_hsts_in_production(database_url, tmp_path, url):
    app = make_test_app(database_url, tmp_path, ENV_NAME="production")
    assert app.test_client().get(url).headers["Strict-Transport-Security"] == HSTS


def test_a_page_for_a_signed_in_user_is_not_stored(client, db_session):
    from tests.unit.procedure.support import login, make_user

    assert "Cache-Control" not in client.get("/").headers  # public: caches may keep it
    login(client, make_user("professional"))
    assert client.get("/mijn/").headers.get("Cache-Control") == "no-store"
    assert client.get("/").headers.get("Cache-Control") == "no-store"


def test_an_api_answer_to_a_token_is_not_stored(client, db_session):
    from registry.services.accounts import create_token
    from tests.factories import UserFactory

    token = create_token(UserFactory(roles=["secretary"]), "t").secret
    response = client.get("/api/v1/procedure/rounds/1",  # a route that reads the token
                          headers={"Authorization": f"Bearer {token}"})
    assert response.headers.get("Cache-Control") == "no-store"
