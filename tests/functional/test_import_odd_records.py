"""Records in a researcher's file that once gave a 500, or were changed or dropped
without a word: each now imports as written or is refused with the record and field
named (POST /api/v1/imports/studies?dry_run=1, the path the pages share)."""

from __future__ import annotations

import io

import pytest

from registry.services.accounts import create_token
from tests.factories import UserFactory


def dry_run(client, content: bytes, name: str) -> dict:
    token = create_token(UserFactory(roles=["researcher"]), "import").secret
    response = client.post("/api/v1/imports/studies?dry_run=1",
                           headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(content), name)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def problems(report: dict) -> list[str]:
    return [p["field"] for r in report["invalid_records"] for p in r["problems"]]


@pytest.mark.parametrize("findings", [b'[{"measure": "m"}]', b'["abc"]'])
def test_a_finding_without_a_domain_or_not_an_object_is_refused_by_name(client, findings):
    report = dry_run(client, b'[{"title": "Werk", "findings": ' + findings + b"}]", "s.json")
    assert report["invalid"] == 1 and any(f.startswith("findings.0") for f in problems(report))


def test_an_empty_record_says_why_it_is_refused(client):
    report = dry_run(client, b"[{}]", "s.json")
    assert (report["invalid"], problems(report)) == (1, ["record"])


@pytest.mark.parametrize(("record", "field"), [
    (b'{"title": "Werk", "year": -2019}', "year"),
    (b'{"title": "Werk", "year": 2019.7}', "year"),
    (b'{"title": "Werk", "year": "20015"}', "year"),
    (b'{"title": "Werk", "doi": "10.1000/abc 123"}', "doi"),
    (b'{"title": "Werk", "pmid": "PMC1234567"}', "pmid"),
])
def test_a_value_that_would_be_changed_unseen_is_refused_by_name(client, record, field):
    report = dry_run(client, b"[" + record + b"]", "s.json")
    assert (report["invalid"], problems(report)) == (1, [field])


def test_a_csv_row_with_more_cells_than_the_header_is_refused_not_cut(client):
    report = dry_run(client, b"title,authors\nWork, health and income,Smith J\n", "a.csv")
    assert (report["invalid"], problems(report)) == (1, ["record"])


@pytest.mark.parametrize(("content", "name"), [
    (b'\xef\xbb\xbf[{"title": "Werk met een BOM"}]', "s.json"),
    (b'\xef\xbb\xbf{"items": [{"title": "Werk met een BOM"}]}', "s.json"),
    (b'\xef\xbb\xbf[{"type": "report", "title": "Werk met een BOM"}]', "csl.json"),
])
def test_json_with_a_byte_order_mark_is_read(client, content, name):
    report = dry_run(client, content, name)
    assert (report["new"], report["invalid"]) == (1, 0)


def test_an_author_of_the_wrong_shape_says_what_an_author_is(client):
    report = dry_run(client, b'[{"title": "Werk", "authors": [42]}]', "s.json")
    (problem,) = report["invalid_records"][0]["problems"]
    assert problem["field"] == "authors.0"
    assert "Achternaam, Voornamen" in problem["message"]


def test_an_author_name_too_long_is_refused_in_dutch_with_the_limits(client):
    author = b'{"family_name": "' + b"x" * 300 + b'"}'
    report = dry_run(client, b'[{"title": "Werk", "authors": [' + author + b"]}]", "s.json")
    (problem,) = report["invalid_records"][0]["problems"]
    assert problem == {"field": "authors.0.family_name",
                       "message": "Moet 1 tot 200 tekens lang zijn."}
