"""Paging and query validation, shared by every list endpoint."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_intervention

LISTS = ["/api/v1/interventions", "/api/v1/studies"]


@pytest.fixture
def ten_interventions(db_session):
    return [make_intervention(title=f"Interventie {letter}") for letter in "ABCDEFGHIJ"]


def page_of(url: str) -> tuple[str, str]:
    query = parse_qs(urlsplit(url).query)
    return query["page"][0], query["per_page"][0]


def test_second_page_holds_the_next_items(client, ten_interventions):
    body = client.get("/api/v1/interventions?page=2&per_page=3").get_json()
    titles = [item["title"] for item in body["items"]]
    assert titles == ["Interventie D", "Interventie E", "Interventie F"]


def test_second_page_reports_paging_metadata(client, ten_interventions):
    body = client.get("/api/v1/interventions?page=2&per_page=3").get_json()
    assert body["meta"] == {"page": 2, "per_page": 3, "total": 10, "pages": 4}


@pytest.mark.parametrize(
    ("name", "page"), [("self", "2"), ("first", "1"), ("last", "4"), ("next", "3"), ("prev", "1")]
)
def test_second_page_links_to_its_neighbours(client, ten_interventions, name, page):
    links = client.get("/api/v1/interventions?page=2&per_page=3").get_json()["links"]
    assert page_of(links[name]) == (page, "3")


@pytest.mark.parametrize(("page", "missing"), [(1, "prev"), (4, "next")])
def test_edge_pages_have_no_link_beyond_them(client, ten_interventions, page, missing):
    links = client.get(f"/api/v1/interventions?page={page}&per_page=3").get_json()["links"]
    assert links[missing] is None


def test_links_keep_the_sort_order(client, ten_interventions):
    links = client.get("/api/v1/interventions?per_page=3&sort=-title").get_json()["links"]
    assert parse_qs(urlsplit(links["next"]).query)["sort"] == ["-title"]


@pytest.mark.parametrize("url", LISTS)
def test_per_page_defaults_to_the_configured_size(app, client, url):
    meta = client.get(url).get_json()["meta"]
    assert meta["per_page"] == app.config["API_DEFAULT_PER_PAGE"]


@pytest.mark.parametrize("url", LISTS)
def test_per_page_up_to_the_configured_maximum_is_accepted(app, client, url):
    maximum = app.config["API_MAX_PER_PAGE"]
    assert client.get(f"{url}?per_page={maximum}").get_json()["meta"]["per_page"] == maximum


@pytest.mark.parametrize("url", LISTS)
def test_per_page_above_the_configured_maximum_is_rejected(app, client, url):
    maximum = app.config["API_MAX_PER_PAGE"]
    assert client.get(f"{url}?per_page={maximum + 1}").status_code == 422


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=99999999999999999999999", "page"),
        ("per_page=10000", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=abc", "per_page"),
        ("sort=bogus", "sort"),
    ],
)
def test_invalid_query_is_422_naming_the_field(client, url, query, field):
    response = client.get(f"{url}?{query}")
    error = response.get_json()["error"]
    assert (response.status_code, error["code"]) == (422, "validation_failed")
    assert [detail["field"] for detail in error["details"]] == [field]


def test_unrelated_query_parameters_are_ignored(client):
    assert client.get("/api/v1/interventions?lang=en").status_code == 200


def test_page_past_the_end_is_not_found(client, ten_interventions):
    response = client.get("/api/v1/interventions?page=5&per_page=3")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_first_page_of_an_empty_list_is_empty_not_missing(client):
    body = client.get("/api/v1/studies").get_json()
    assert (body["items"], body["meta"]["total"]) == ([], 0)


def test_method_not_allowed_names_the_allowed_methods(client):
    response = client.post("/api/v1/interventions")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_the_shared_query_schema_answers_in_each_requests_language(app, client):
    from registry.api.common import page_query
    from registry.schemas.interventions import InterventionQuerySchema

    maximum = app.config["API_MAX_PER_PAGE"]
    english = client.get("/api/v1/interventions?per_page=0&lang=en").get_json()
    dutch = client.get("/api/v1/interventions?per_page=0").get_json()

    assert english["error"]["details"][0]["messages"] == [f"Enter a number from 1 to {maximum}."]
    assert dutch["error"]["details"][0]["messages"] == [
        f"Geef een getal van 1 tot en met {maximum}."]
    with app.test_request_context():
        assert page_query(InterventionQuerySchema) is page_query(InterventionQuerySchema)
