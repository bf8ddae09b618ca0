"""A search that names a facet value the registry does not have (a mistyped or hand-made
link, an API client's wrong code) is refused with the value and the likely meant one,
on the pages in Dutch and in the API's one error shape, instead of ranking interventions
against a characteristic none of them can have."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import SavedProfile, VocabularyTerm
from registry.schemas.common import ErrorSchema
from registry.search import terms
from tests.unit.procedure.support import login, make_user

PROFILE_API = "/api/v1/search/profile"


@pytest.mark.parametrize(("url", "field"), [
    (f"{PROFILE_API}?rung=2&barrier=debts", "barrier"),
    (f"{PROFILE_API}?age_band=27-55", "age_band"),
    ("/api/v1/search?barrier=debts", "barrier"),
    ("/api/v1/search?level=effective", "level"),
    ("/api/v1/search?q=werk&applied_municipality=GM9999", "applied_municipality"),
])
def test_the_api_refuses_an_unknown_value_naming_field_and_value(client, url, field):
    response = client.get(url)

    body = response.get_json()
    assert (response.status_code, ErrorSchema().validate(body)) == (422, {})
    assert [d["field"] for d in body["error"]["details"]] == [field]
    value = url.rsplit("=", 1)[1]
    assert f"Onbekende waarde '{value}'" in body["error"]["details"][0]["messages"][0]


def test_the_refusal_suggests_the_value_likely_meant(client):
    body = client.get(f"{PROFILE_API}?barrier=debts&target_group=jongeren").get_json()

    messages = {d["field"]: d["messages"] for d in body["error"]["details"]}
    assert messages["barrier"] == ["Onbekende waarde 'debts'. Bedoelde u 'debt'?"]
    assert messages["target_group"] == ["Onbekende waarde 'jongeren'."]


def test_known_values_are_searched_as_before(client):
    assert client.get(f"{PROFILE_API}?rung=2&barrier=debt").status_code in (200, 503)


def test_the_profile_page_names_the_unknown_value_in_dutch(client):
    response = client.get("/zoeken/profiel?rung=2&barrier=debts&goal=schulden")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<strong>Belemmeringen</strong> (barrier):" in page
    assert "Onbekende waarde &#39;debts&#39;. Bedoelde u &#39;debt&#39;?" in page


def test_the_search_page_export_and_feed_refuse_it_too(client):
    for url in ("/zoeken?barrier=debts", "/zoeken/export.csv?barrier=debts",
                "/zoeken.atom?barrier=debts", "/zoeken/profiel/export.csv?barrier=debts"):
        assert client.get(url).status_code == 422, url


def test_a_profile_with_an_unknown_value_is_not_saved(client):
    login(client, make_user("professional"))
    db.session.commit()

    response = client.post("/zoeken/profiel/bewaren",
                           data={"label": "Schulden", "rung": "2", "barrier": "debts"})

    assert response.status_code == 422
    assert db.session.scalars(select(SavedProfile)).first() is None


def test_a_retired_term_still_searches_so_old_links_keep_working(client):
    term = db.session.scalars(select(VocabularyTerm).where(
        VocabularyTerm.vocabulary == "barrier", VocabularyTerm.code == "debt")).one()
    term.is_active = False
    db.session.commit()

    assert client.get(f"{PROFILE_API}?barrier=debt").status_code in (200, 503)


def test_only_the_first_unknown_values_get_a_suggestion(client, monkeypatch):
    compared = []
    monkeypatch.setattr(terms, "_closest", lambda value, codes: compared.append(value))
    query = "&".join(f"barrier=onbekend{n}" for n in range(50))

    response = client.get(f"{PROFILE_API}?{query}")

    assert response.status_code == 422
    assert len(response.get_json()["error"]["details"][0]["messages"]) == 50
    assert len(compared) == terms.SUGGESTIONS


@pytest.mark.parametrize(("query", "expected"), [
    ("barrier=debts", "Unknown value &#39;debts&#39;. Did you mean &#39;debt&#39;?"),
    ("sorteer=foo", "Choose one of: relevance, level, title, decided."),
    ("pagina=0", "Enter a number from 1 to 1000000."),
    ("pagina=een", "Enter a whole number."),
])
def test_a_refused_search_is_explained_in_english_on_english_pages(client, query, expected):
    client.get("/taal/en?next=/")
    page = client.get(f"/zoeken?{query}").get_data(as_text=True)
    assert expected in page
