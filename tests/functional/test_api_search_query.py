"""The search APIs refuse what their OpenAPI document does not allow (a blank value, a
repeated single value) with a 422 in the one error shape, and the document says exactly
what they take; the search pages still ignore the blank fields a form sends."""

from __future__ import annotations

import pytest

from registry.schemas.common import ErrorSchema

PROFILE = "/api/v1/search/profile"
REFUSED = [
    ("page=", "page"),
    ("per_page=", "per_page"),
    ("rung=", "rung"),
    ("support_need=", "support_need"),
    ("barrier=", "barrier.0"),
    ("barrier=debt&barrier=", "barrier.1"),
    ("rung=2&rung=3", "rung"),
    ("page=1&page=2", "page"),
    ("goal=werk&goal=school", "goal"),
]


@pytest.mark.parametrize(("query", "field"), REFUSED)
def test_profile_api_refuses_it_naming_the_field(client, query, field):
    response = client.get(f"{PROFILE}?{query}")
    details = response.get_json()["error"]["details"]
    assert (response.status_code, [d["field"] for d in details]) == (422, [field])


@pytest.mark.parametrize(("query", "field"), REFUSED)
def test_profile_api_refusal_has_the_error_shape(client, query, field):
    body = client.get(f"{PROFILE}?{query}").get_json()
    assert (ErrorSchema().validate(body), body["error"]["code"]) == ({}, "validation_failed")


@pytest.mark.parametrize("query", ["page=", "q=werk&q=school", "barrier="])
def test_text_search_api_refuses_it_too(client, query):
    assert client.get(f"/api/v1/search?{query}").status_code == 422


@pytest.mark.parametrize("url", ["/api/v1/interventions?page=1&page=2", "/api/v1/studies?sort="])
def test_list_apis_refuse_it_too(client, url):
    assert client.get(url).status_code == 422


def test_profile_page_ignores_blank_form_fields(client):
    response = client.get("/zoeken/profiel?rung=&support_need=&barrier=&goal=")
    assert response.status_code == 200


@pytest.fixture
def parameters(client) -> dict[str, dict]:
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"][PROFILE]["get"]
    return {p["name"]: p for p in operation["parameters"]}


@pytest.mark.parametrize("name", ["rung", "support_need", "age_band"])
def test_document_gives_single_values_no_null(parameters, name):
    schema = parameters[name]["schema"]
    assert ("null" in str(schema["type"]), "default" in schema) == (False, False)


@pytest.mark.parametrize("name", ["target_group", "barrier", "domain", "phase"])
def test_document_gives_lists_as_repeated_non_blank_values(parameters, name):
    parameter = parameters[name]
    shape = (parameter["style"], parameter["explode"], parameter["schema"]["type"])
    assert (shape, parameter["schema"]["items"]["minLength"]) == (("form", True, "array"), 1)


def test_document_gives_codes_as_non_blank(parameters):
    assert parameters["support_need"]["schema"]["minLength"] == 1
