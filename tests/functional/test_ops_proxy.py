"""Behind a reverse proxy: trusted Host names, and X-Forwarded-* from trusted proxies only."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import FailedLogin
from tests.conftest import make_test_app
from tests.unit.procedure.support import make_user

HOST = "registry.example"
FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": HOST}


@pytest.fixture
def make_app(database_url, tmp_path):
    return lambda **settings: make_test_app(database_url, tmp_path, **settings)


def failed_sign_in_address(app, headers: dict) -> str:
    user = make_user("professional")
    app.test_client().post(
        "/inloggen", data={"email": user.email, "password": "niet-het-wachtwoord"},
        headers=headers,
    )
    return db.session.scalar(select(FailedLogin.address).where(FailedLogin.email == user.email))


@pytest.mark.parametrize(
    ("url", "mimetype"),
    [("/api/v1/interventions", "application/json"), ("/interventies", "text/plain")],
)
def test_another_host_is_refused(make_app, url, mimetype):
    app = make_app(TRUSTED_HOSTS=[HOST])
    response = app.test_client().get(url, headers={"Host": "evil.example"})
    assert (response.status_code, response.mimetype) == (400, mimetype)
    assert b"evil.example" not in response.data


def test_a_trusted_host_writes_its_own_links(make_app):
    app = make_app(TRUSTED_HOSTS=[HOST])
    body = app.test_client().get("/api/v1/interventions", base_url=f"http://{HOST}").get_json()
    assert body["links"]["self"].startswith(f"http://{HOST}/")


def test_a_trusted_proxy_gives_the_client_address(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    assert failed_sign_in_address(app, FORWARDED) == "203.0.113.7"


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app):
    app = make_app()
    assert failed_sign_in_address(app, FORWARDED) == "127.0.0.1"


def test_a_trusted_proxy_gives_scheme_and_host_of_links(make_app):
    app = make_app(TRUSTED_PROXIES=1, TRUSTED_HOSTS=[HOST])
    body = app.test_client().get("/api/v1/interventions", headers=FORWARDED).get_json()
    assert body["links"]["self"].startswith(f"https://{HOST}/")


def test_a_forwarded_host_is_checked_against_the_trusted_hosts(make_app):
    app = make_app(TRUSTED_PROXIES=1, TRUSTED_HOSTS=[HOST])
    headers = {**FORWARDED, "X-Forwarded-Host": "evil.example"}
    assert app.test_client().get("/api/v1/interventions", headers=headers).status_code == 400


@pytest.mark.parametrize(("hosts", "warned"), [(None, True), ([HOST], False)])
def test_production_without_trusted_hosts_warns_at_start(make_app, caplog, hosts, warned):
    with caplog.at_level(logging.WARNING):
        make_app(ENV_NAME="production", TRUSTED_HOSTS=hosts)
    assert any("REGISTRY_TRUSTED_HOSTS" in r.getMessage() for r in caplog.records) is warned


def test_a_trusted_host_may_carry_a_port(make_app):
    # Prometheus on the host itself scrapes http://localhost:8000/metrics.
    app = make_app(TRUSTED_HOSTS=[HOST, "localhost"])
    response = app.test_client().get("/metrics", base_url="http://localhost:8000")
    assert response.status_code == 200
