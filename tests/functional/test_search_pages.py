"""The search page and API: facets in the URL, notices, visibility, profile explanations."""

import re

import pytest

from registry.extensions import db
from registry.search import sync
from registry.views import search as search_views
from search_index import query, searchers
from tests.factories import make_intervention


@pytest.fixture
def indexed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    make_intervention(title="Schuldhulpverlening jong", tags={"barrier": ["debt"]},
                      outcome="effective_good")
    make_intervention(title="Taaltraject", tags={"barrier": ["language"]}, outcome="not_recognised")
    make_intervention(title="Geheim concept schuldhulp", published=False)
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def test_page_lists_matches_with_highlight(client, indexed):
    page = client.get("/zoeken?q=schuldhulpverlening").get_data(as_text=True)
    assert "Schuldhulpverlening jong" in page and "Geheim concept" not in page


def test_facet_link_keeps_text_and_adds_value(client, indexed):
    page = client.get("/zoeken?q=jong").get_data(as_text=True)
    assert 'href="/zoeken?q=jong&amp;barrier=debt"' in page


def test_result_links_lead_back_to_the_page_as_url_for_writes_them(app, client, indexed):
    from flask import request, url_for

    path = "/zoeken?q=%22schuldhulpverlening+jong%22%2C+%C3%A9%C3%A9n%3A+jong%21&barrier=debt"
    page = client.get(path).get_data(as_text=True)
    links = re.findall(r'href="(/interventies/([a-z0-9-]+)\?[^"]*)"', page)
    assert links
    with app.test_request_context(path):
        for href, slug in links:
            expected = url_for("pages.intervention", slug=slug, terug=request.full_path)
            assert href == expected.replace("&", "&amp;")
        # Slugs no record has (yet): quoted as url_for quotes them.
        record_url = search_views._record_urls()
        for slug in ["één-traject", "a b", "50%", "a/b", "x?y#z", "a+b&c=d", "~-._!*'()"]:
            assert record_url(slug) == url_for("pages.intervention", slug=slug,
                                               terug=request.full_path)


def test_not_recognised_is_labelled(client, indexed):
    page = client.get("/zoeken?barrier=language").get_data(as_text=True)
    assert "Niet erkend" in page


def test_api_returns_counts_and_items(client, indexed):
    body = client.get("/api/v1/search?barrier=debt").get_json()
    barrier = next(f for f in body["facets"] if f["name"] == "barrier")
    assert body["total"] == 1
    assert {v["value"]: v["count"] for v in barrier["values"]} == {"debt": 1, "language": 1}


def test_api_refuses_unknown_sort(client, indexed):
    assert client.get("/api/v1/search?sort=random").status_code == 422


def test_profile_api_explains_in_dutch(client, indexed):
    body = client.get("/api/v1/search/profile?rung=2&barrier=debt&age_band=55_plus").get_json()
    assert body["items"][0]["explanation"] == (
        "past: trede 2, schulden; niet genoemd: leeftijd 55 jaar en ouder"
    )


def test_profile_page_renders_explanation(client, indexed):
    page = client.get("/zoeken/profiel?rung=2&barrier=debt").get_data(as_text=True)
    assert "past: trede 2, schulden" in page


def test_missing_index_shows_dutch_notice(client, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "nowhere"))
    response = client.get("/zoeken?q=werk")
    assert response.status_code == 503
    assert "tijdelijk niet beschikbaar" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/zoeken.atom?q=werk", "/zoeken/export.csv?q=werk",
                                  "/zoeken/profiel/export.json?rung=2"])
def test_missing_index_makes_feeds_and_exports_unavailable_not_fail(client, app, tmp_path,
                                                                    monkeypatch, path):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "nowhere"))
    response = client.get(path)
    assert response.status_code == 503
    assert "tijdelijk niet beschikbaar" in response.get_data(as_text=True)


def test_missing_index_gives_api_error_shape(client, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "nowhere"))
    body = client.get("/api/v1/search?q=werk").get_json()
    assert body["error"]["code"] == "search_unavailable"


@pytest.mark.parametrize(
    "value",
    ["title:schuld", "year:[2000%20TO]", "[a%20TO%20z]", "w*%20b*%20s*", "*",
     "%FF%FE", "schuld%C3", "(" * 190 + "werk", "NOT%20OR%20OR", "werk%20NOT%20OR%20OR"],
)
@pytest.mark.parametrize(
    "path",
    ["/zoeken?q=", "/api/v1/search?q=", "/zoeken/profiel?goal=", "/api/v1/search/profile?goal="],
)
def test_query_syntax_and_bad_bytes_never_fail(client, indexed, path, value):
    response = client.get(path + value)
    assert response.status_code == 200


def test_few_full_matches_are_followed_by_partial_ones(client, indexed):
    page = client.get("/zoeken?q=schuldhulpverlening+taaltraject").get_data(as_text=True)
    assert "Interventies met een deel van uw zoekwoorden" in page
    assert "Bevat 1 van de 2 zoekwoorden." in page


@pytest.mark.parametrize("path", ["/api/v1/search", "/zoeken.atom", "/zoeken/export.csv"])
def test_only_the_page_ranks_partial_matches(client, indexed, monkeypatch, path):
    """The API, the feed and the export show no partial matches, so they rank none (nor
    load them from the database)."""
    ranked = []
    partial_hits = query.partial_hits
    monkeypatch.setattr(query, "partial_hits", lambda *args: ranked.append(path)
                        or partial_hits(*args))
    assert client.get(path + "?q=schuldhulpverlening+taaltraject").status_code == 200
    assert ranked == []
    client.get("/zoeken?q=schuldhulpverlening+taaltraject")
    assert ranked == [path]


def test_an_empty_result_offers_fewer_words_and_the_profile_search(client, indexed):
    page = client.get("/zoeken?q=taaltraject+schuldhulpverlening").get_data(as_text=True)
    assert "/zoeken?q=schuldhulpverlening" in page and "zonder „taaltraject”" in page
    assert "/zoeken/profiel?goal=taaltraject+schuldhulpverlening" in page


def test_a_bad_search_is_refused_in_the_page_language(client, indexed):
    client.get("/taal/en?next=/")
    response = client.get("/zoeken?pagina=geen-getal")

    assert response.status_code == 422
    assert "The search is invalid." in response.get_data(as_text=True)


def test_a_search_text_too_long_is_refused_in_dutch_and_the_field_says_its_limit(client,
                                                                                 indexed):
    page = client.get("/zoeken?q=werk").get_data(as_text=True)
    assert 'name="q" type="search" maxlength="300"' in page  # the browser stops at 300

    response = client.get("/zoeken?q=" + "w" * 301)  # a link or a script, not the form
    refused = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Gebruik hooguit 300 tekens." in refused and "Longer than" not in refused


def test_a_refused_parameter_is_named_as_the_page_names_it(client, indexed):
    page = client.get("/zoeken/profiel?rung=9").get_data(as_text=True)

    assert "<strong>Trede participatieladder</strong> (rung):" in page


def test_english_pages_say_the_catalogue_is_searched_in_dutch(client, indexed):
    client.get("/taal/en?next=/")
    page = client.get("/zoeken?q=debt+young").get_data(as_text=True)
    assert "in Dutch" in page


def test_facet_labels_follow_the_language_of_each_page(client, indexed):
    # The labels are translated once per language and process: a Dutch page first must
    # not leave its words on the English page, nor the other way round.
    dutch = client.get("/zoeken?barrier=debt").get_data(as_text=True)
    client.get("/taal/en?next=/")
    english = client.get("/zoeken?barrier=debt").get_data(as_text=True)
    client.get("/taal/nl?next=/")
    again = client.get("/zoeken?barrier=debt").get_data(as_text=True)

    def level_label(page: str) -> str:
        found = re.search(r'data-value="effective_good"[^>]*>\s*<span[^>]*>.</span>\s*([^<]+?) <',
                          page)
        return found.group(1) if found else ""

    assert "<summary>Belemmeringen</summary>" in dutch
    assert level_label(dutch) == "Effectief volgens goede aanwijzingen"
    assert "<summary>Barriers</summary>" in english and "<summary>Belemmeringen" not in english
    assert level_label(english) == "Effective according to good indications"
    assert again == dutch


def test_profile_results_are_explained_in_the_language_of_each_page(client, indexed):
    path = "/zoeken/profiel?rung=2&barrier=debt"
    dutch = client.get(path).get_data(as_text=True)
    client.get("/taal/en?next=/")
    english = client.get(path).get_data(as_text=True)

    assert "past: trede 2, schulden" in dutch and "Past op 2 van 2 kenmerken." in dutch
    assert "Past goed." in dutch
    assert "fits: rung 2, debt<" in english and "Fits 2 of 2 characteristics." in english
    assert "past:" not in english and "Past goed" not in english


def test_results_come_before_the_filters(client, indexed):
    page = client.get("/zoeken?q=schuldhulpverlening").get_data(as_text=True)
    assert page.index('id="resultaten"') < page.index('id="filters"')


@pytest.mark.parametrize("path", [
    "/zoeken?q=schuld&endpoint=x", "/zoeken?kind=x", "/zoeken.atom?_external=1&q=schuld",
    "/zoeken/profiel?rung=2&kind=x", "/bewijskaart?endpoint=x",
])
def test_a_parameter_named_like_a_url_part_is_carried_not_fatal(client, indexed, path):
    # These went to url_for as keyword arguments and raised TypeError (500).
    response = client.get(path)

    assert response.status_code == 200


def test_the_feed_and_export_links_carry_the_query_as_it_came(client, indexed):
    page = client.get("/zoeken?q=schuld&endpoint=x").get_data(as_text=True)

    assert 'href="/zoeken.atom?q=schuld&amp;endpoint=x"' in page
    assert 'href="/zoeken/export.csv?q=schuld&amp;endpoint=x"' in page


@pytest.mark.parametrize("path", ["/zoeken?", "/api/v1/search?", "/zoeken/profiel?"])
def test_more_chosen_values_than_anyone_ticks_are_refused(client, indexed, path):
    query = "&".join("barrier=debt" for _ in range(51))
    response = client.get(path + query)
    assert response.status_code == 422
    assert client.get(path + query.rsplit("&", 1)[0]).status_code == 200  # fifty are fine


def test_a_page_past_the_last_leads_to_the_last(client, indexed):
    response = client.get("/zoeken?q=werk&pagina=40")
    assert response.status_code == 302
    assert "pagina=40" not in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_profile_page_past_the_last_leads_to_the_last(client, indexed):
    response = client.get("/zoeken/profiel?rung=2&pagina=40")
    assert response.status_code == 302
    assert "pagina=1" in response.headers["Location"]


def test_profile_explains_an_intervention_made_for_other_barriers(client, indexed):
    body = client.get("/api/v1/search/profile?rung=2&barrier=debt").get_json()
    explained = {item["title"]: item["explanation"] for item in body["items"]}
    assert "gemaakt voor andere belemmeringen" not in explained["Schuldhulpverlening jong"]
    assert explained["Taaltraject"].endswith(
        "gemaakt voor andere belemmeringen: taalbeheersing")
