"""POST /api/v1/imports/studies: token auth, dry run, commit, errors in the one shape."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Study
from registry.services.accounts import create_token
from tests.factories import UserFactory

RIS = (Path(__file__).parent.parent / "unit/importers/samples/studies.ris").read_bytes()


def token_for(*roles: str) -> str:
    return create_token(UserFactory(roles=list(roles)), "import").secret


def post(client, token, content=RIS, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/imports/studies{query}", headers=headers,
                       data={"file": (io.BytesIO(content), "export.ris")})


def studies() -> int:
    return db.session.scalar(select(func.count()).select_from(Study))


def test_without_token_is_401(client):
    assert post(client, None).status_code == 401


def test_professional_is_403(client):
    assert post(client, token_for("professional")).status_code == 403


def test_dry_run_reports_and_writes_nothing(client):
    response = post(client, token_for("researcher"), query="?dry_run=1")
    assert (response.status_code, response.json["total"], studies()) == (200, 3, 0)


def test_commit_returns_batch_and_counts(client):
    # The sample's third record links an intervention this registry lacks: it is added
    # without the link, and says so.
    response = post(client, token_for("researcher"))
    body = response.json
    assert (body["committed"], body["new"], body["invalid"], body["warnings"], studies()) == (
        True, 3, 0, 1, 3)


def test_empty_file_is_422_in_the_one_error_shape(client):
    response = post(client, token_for("researcher"), content=b"")
    assert (response.status_code, response.json["error"]["code"]) == (422, "import_rejected")


def test_oversized_upload_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"], limit = 1000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = post(client, token_for("researcher"), content=b"x" * 5000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert (response.status_code, response.json["error"]["message"]) == (
        413, "Het bestand is te groot.")


def test_deeply_nested_json_is_refused_with_the_error_shape(client):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post(
        "/api/v1/imports/studies?dry_run=1",
        headers={"Authorization": f"Bearer {token_for('researcher')}"},
        data={"file": (io.BytesIO(deep), "export.json")},
    )
    assert response.status_code == 422
    assert "te diep genest" in response.json["error"]["details"][0]["messages"][0]


@pytest.mark.parametrize("query", ["?dry_run=1", ""])
def test_a_file_past_the_record_cap_is_refused_and_nothing_is_written(app, client,
                                                                      monkeypatch, query):
    # A 20 MB file of a million tiny records held a worker for minutes.
    monkeypatch.setitem(app.config, "IMPORT_MAX_RECORDS", 2)

    response = post(client, token_for("researcher"), query=query)  # three records

    assert (response.status_code, studies()) == (422, 0)
    assert "meer dan 2 records" in response.json["error"]["message"]


def test_a_file_at_the_record_cap_is_imported(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_RECORDS", 3)

    assert (post(client, token_for("researcher")).status_code, studies()) == (200, 3)
