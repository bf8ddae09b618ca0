"""Numbers in forms and files that are no column's number ("²", eleven digits) are
refused as input, never a server error (int() raised on "²"; PostgreSQL refused ids
above 2^31 with a DataError, SQLite above 2^63)."""

from __future__ import annotations

import io

import pytest

from registry.extensions import db
from tests.factories import StudyFactory, make_intervention
from tests.unit.procedure.support import drive, login, make_cast, make_user

NOT_NUMBERS = ["²", "99999999999", "9" * 5000]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_lock_version_that_is_no_number_is_refused(client, value):
    cast = make_cast()
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)

    response = client.post(f"/procedure/rondes/{round_.id}/indienen",
                           data={"lock_version": value})

    assert response.status_code in (409, 422)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_conflict_with_an_organisation_that_is_no_id_is_refused(client, value):
    login(client, make_user("reviewer"))
    db.session.commit()

    response = client.post("/mijn/belangen", data={"organisation_id": value})

    assert response.status_code == 422


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_link_to_a_study_that_is_no_id_is_refused(client, value):
    make_intervention(slug="koppel")
    login(client, make_user("researcher"))
    db.session.commit()

    response = client.post("/import/koppelingen", data={
        "study_id": value, "intervention": "koppel", "relation": "effect"})

    assert response.status_code == 422


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_findings_row_naming_a_study_by_no_id_is_refused_by_row(client, value):
    StudyFactory()
    login(client, make_user("researcher"))
    db.session.commit()
    text = ("study,outcome_domain,measure,effect_size_type,effect_size,direction\n"
            f"id:{value},work,Betaald werk,hedges_g,0.3,favourable\n")

    response = client.post("/import/bevindingen", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(text.encode()), "bevindingen.csv")})

    assert response.status_code == 422
    assert "<td>2</td><td>study</td>" in response.get_data(as_text=True)
