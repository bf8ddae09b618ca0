"""Every 4xx from the API has the one error shape of registry.errors."""

from __future__ import annotations

import pytest

from registry.schemas.common import ErrorSchema
from tests.conftest import make_test_app

CASES = [
    ("get", "/api/v1/bestaat-niet", 404, "not_found"),
    ("get", "/api/v2/interventions", 404, "not_found"),
    ("get", "/api/v1/interventions/onbekend", 404, "not_found"),
    ("post", "/api/v1/interventions", 405, "method_not_allowed"),
    ("delete", "/api/v1/studies/1", 405, "method_not_allowed"),
    ("get", "/api/v1/studies?page=-1", 422, "validation_failed"),
]


@pytest.mark.parametrize(("method", "url", "status", "code"), CASES)
def test_error_has_status_and_code(client, method, url, status, code):
    response = getattr(client, method)(url)
    error = response.get_json()["error"]
    assert (response.status_code, error["status"], error["code"]) == (status, status, code)


@pytest.mark.parametrize(("method", "url", "status", "code"), CASES)
def test_error_matches_the_error_schema(client, method, url, status, code):
    body = getattr(client, method)(url).get_json()
    assert ErrorSchema().validate(body) == {}


def test_unexpected_failure_is_500_in_the_error_shape(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)

    @app.get("/api/v1/kapot")
    def broken():
        raise RuntimeError("boom")

    body = app.test_client().get("/api/v1/kapot").get_json()
    assert (body["error"]["status"], body["error"]["code"]) == (500, "internal_error")
