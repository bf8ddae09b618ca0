"""Every integer a schema loads fits the column it is written to: a larger one is invalid
input (422, or an invalid import record), never a database error (500)."""

from __future__ import annotations

import io
import json

import pytest

from registry.extensions import db
from registry.services.accounts import create_api_token
from tests.unit.procedure.support import drive, login, make_cast, make_user

TOO_LARGE = (2**31, 2**63 + 5)


def description(lock_version: int, **fields) -> dict:
    return {"title": "A", "summary": "s", "main_aim": "m", "target_group_text": "t",
            "approach": "a", "lock_version": lock_version, **fields}


@pytest.mark.parametrize("cost", TOO_LARGE)
@pytest.mark.parametrize("field", ["cost_min_eur", "cost_max_eur"])
def test_description_refuses_a_cost_past_the_column(client, field, cost):
    cast = make_cast()
    round_ = drive(cast, "draft")
    headers = {"Authorization": f"Bearer {create_api_token(cast.owner, 't')[1]}"}
    body = description(round_.version.lock_version, **{field: cost})
    response = client.put(f"/api/v1/procedure/rounds/{round_.id}/description", json=body,
                          headers=headers)
    details = response.get_json()["error"]["details"]
    assert (response.status_code, [d["field"] for d in details]) == (422, [field])


@pytest.mark.parametrize("count", TOO_LARGE)
def test_import_reports_a_count_past_the_column_as_invalid(client, count):
    researcher = make_user("researcher")
    headers = {"Authorization": f"Bearer {create_api_token(researcher, 't')[1]}"}
    record = {"title": "Een studie", "year": 2020, "n_intervention": count}
    upload = (io.BytesIO(json.dumps([record]).encode()), "studies.json")
    response = client.post("/api/v1/imports/studies", headers=headers, data={"file": upload})
    body = response.get_json()
    assert (response.status_code, body["invalid"], body["new"]) == (200, 1, 0)


def test_new_user_refuses_an_organisation_id_past_the_column(client):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw@example.org", "name": "Nieuw", "password": "een-lang-en-zeldzaam-ww",
        "organisation_id": str(2**31),
    })
    assert response.status_code == 422
