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
