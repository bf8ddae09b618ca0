"""An id no database column can hold is an unknown URL (404), on every <int:...> route:
never an OverflowError (SQLite, past 2**63) or a DataError (PostgreSQL, past 2**31)."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import Rule

from registry import create_app
from registry.schemas.common import ErrorSchema

# 2**31: the first id a PostgreSQL integer cannot hold; 2**63 + 5: past SQLite's too;
# 5000 digits: past what int() itself parses.
TOO_LARGE = (str(2**31), str(2**63 + 5), "9" * 5000)


INT_PLACEHOLDER = re.compile(r"<int(?:\([^)]*\))?:[^>]+>")


def _int_rules() -> list[Rule]:
    # The rules depend on code only: an app without a database lists them.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [rule for rule in app.url_map.iter_rules() if INT_PLACEHOLDER.search(rule.rule)]


def _url(rule: Rule, value: str) -> str:
    # Every <int:...> gets the value; any other placeholder a harmless word.
    return re.sub(r"<[^>]+>", "x", INT_PLACEHOLDER.sub(value, rule.rule))


def _method(rule: Rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


CASES = [
    pytest.param(_method(rule), _url(rule, value), id=f"{_method(rule)} {rule.rule} {len(value)}")
    for rule in _int_rules()
    for value in TOO_LARGE
]


def test_there_are_int_routes_to_check():
    assert len(CASES) > 20


@pytest.mark.parametrize(("method", "url"), CASES)
def test_too_large_id_is_not_found(client, method, url):
    assert client.open(url, method=method).status_code == 404


@pytest.mark.parametrize(("method", "url"), [c for c in CASES if c.values[1].startswith("/api/")])
def test_api_answers_it_in_the_error_shape(client, method, url):
    body = client.open(url, method=method).get_json()
    assert (ErrorSchema().validate(body), body["error"]["code"]) == ({}, "not_found")


def test_page_answers_it_with_the_dutch_404_page(client):
    page = client.get(f"/studies/{2**63 + 5}").get_data(as_text=True)
    assert "Deze pagina bestaat niet" in page


def test_largest_id_still_reaches_the_view(client):
    body = client.get(f"/api/v1/studies/{2**31 - 1}").get_json()
    assert body["error"]["message"] == f"Studie {2**31 - 1} bestaat niet."
