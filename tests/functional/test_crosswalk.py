"""The international crosswalk: the secretary records other clearinghouses' ratings of
an intervention; the public page, the API and the search facet show them; bad input is
refused by field and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from registry.extensions import db
from registry.models import AuditEvent, ExternalRating
from registry.search import sync
from search_index import searchers
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user

GOOD = {"source": "movisie", "label": "Goed onderbouwd", "rated_on": "2023-05-10",
        "url": "https://databank.example/interventie/42"}


@pytest.fixture
def setting(db_session):
    intervention = make_intervention(title="Werkplek met coach")
    secretary = make_user("secretary")
    db.session.commit()
    return intervention, secretary


def _url(intervention) -> str:
    return f"/procedure/interventies/{intervention.id}/elders-beoordeeld"


def test_the_secretary_adds_a_rating_and_the_public_page_shows_it(client, setting):
    intervention, secretary = setting
    login(client, secretary)

    response = client.post(_url(intervention), data=GOOD)
    client.post("/uitloggen")
    page = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)

    assert response.status_code == 302
    assert "Ook beoordeeld door" in page
    assert "Databank Effectieve sociale interventies (Movisie)" in page
    assert 'href="https://databank.example/interventie/42"' in page
    assert db.session.query(AuditEvent).filter_by(action="add_external_rating").count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"source": "onbekend"}, "source"),
    ({"label": ""}, "label"),
    ({"label": "   "}, "label"),
    ({"rated_on": (date.today() + timedelta(days=3)).isoformat()}, "rated_on"),
    ({"url": "javascript:alert(1)"}, "url"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(client, setting, change, field):
    intervention, secretary = setting
    login(client, secretary)

    response = client.post(_url(intervention), data={**GOOD, **change})

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.query(ExternalRating).count() == 0


def test_a_second_rating_of_the_same_clearinghouse_is_refused(client, setting):
    intervention, secretary = setting
    login(client, secretary)
    client.post(_url(intervention), data=GOOD)

    response = client.post(_url(intervention), data={**GOOD, "label": "Effectief"})

    assert response.status_code == 422
    assert db.session.query(ExternalRating).count() == 1


def test_the_secretary_removes_a_rating(client, setting):
    intervention, secretary = setting
    login(client, secretary)
    client.post(_url(intervention), data=GOOD)
    (rating,) = db.session.query(ExternalRating).all()

    response = client.post(f"{_url(intervention)}/{rating.id}/verwijderen")

    assert response.status_code == 302
    assert db.session.query(ExternalRating).count() == 0


def test_an_owner_may_not_record_ratings(client, setting):
    intervention, _secretary = setting
    owner = make_user("owner")
    db.session.commit()
    login(client, owner)

    assert client.post(_url(intervention), data=GOOD).status_code == 403


def test_the_api_and_the_search_facet_show_the_ratings(app, client, setting, tmp_path,
                                                       monkeypatch):
    intervention, secretary = setting
    login(client, secretary)
    client.post(_url(intervention), data=GOOD)
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    sync.rebuild(db.session.connection(), root)
    try:
        detail = client.get(f"/api/v1/interventions/{intervention.slug}").get_json()
        found = client.get("/api/v1/search?clearinghouse=movisie").get_json()
    finally:
        searchers.release_all()

    assert detail["external_ratings"] == [{
        "source": "movisie", "source_label": "Databank Effectieve sociale interventies (Movisie)",
        "label": "Goed onderbouwd", "rated_on": "2023-05-10",
        "url": "https://databank.example/interventie/42"}]
    assert [item["slug"] for item in found["items"]] == [intervention.slug]
