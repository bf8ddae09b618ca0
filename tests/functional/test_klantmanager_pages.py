"""The klantmanager's pages: profile results in groups with a plain fit, comparing
interventions side by side, a shareable link and print, and the way back to results."""

from __future__ import annotations

import re

import pytest

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from tests.factories import make_intervention


@pytest.fixture
def indexed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    make_intervention(slug="schuldhulp-jong", title="Schuldhulp jong", outcome="effective_good",
                      tags={"barrier": ["debt"], "age_band": ["under_27"]})
    make_intervention(slug="taaltraject", title="Taaltraject",
                      tags={"barrier": ["language"], "age_band": ["under_27"]})
    make_intervention(slug="vijftig-plus", title="Vijftig plus",
                      tags={"barrier": ["debt"], "age_band": ["55_plus"]})
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def _profile(client) -> str:
    return client.get("/zoeken/profiel?age_band=under_27&barrier=debt").get_data(as_text=True)


def test_profile_results_come_in_the_rankings_order_each_labelled_with_its_fit(client,
                                                                              indexed):
    page = _profile(client)
    assert page.index("Schuldhulp jong") < page.index("Taaltraject")
    assert page.index("Schuldhulp jong") < page.index("Vijftig plus")
    assert '<strong class="fit-label fit-label--good">Past goed.</strong> Past op 2 van 2 ' \
           "kenmerken." in page
    assert 'fit-label--poor">Past niet.</strong>' in page and "Score" not in page


def test_profile_results_are_shown_in_the_order_the_ranking_gives(client, indexed):
    """What the page shows is what the ranking (and its judged sets) decided, the export
    is in the same order, and page 2 goes on where page 1 ended."""
    import re

    from registry.extensions import db as database
    from registry.models import Intervention

    query = "rung=2&barrier=debt&age_band=under_27"
    exported = [row["title"] for row in client.get(
        f"/zoeken/profiel/export.json?{query}").get_json()["items"]]
    shown = []
    for number in (1, 2):
        page = client.get(f"/zoeken/profiel?{query}&per_page=2&pagina={number}")
        slugs = re.findall(r'class="result__title"><a href="/interventies/([^"?]+)',
                           page.get_data(as_text=True))
        shown += [database.session.query(Intervention).filter_by(slug=s).one()
                  .published_version.title for s in slugs]
    assert len(shown) == len(exported) == 3 and shown == exported


def test_the_goal_is_said_to_match_or_not(client, indexed):
    page = client.get("/zoeken/profiel?barrier=debt&goal=taaltraject").get_data(as_text=True)
    assert "Het doel komt terug in de beschrijving." in page
    assert "Het doel komt niet terug in de beschrijving." in page


def test_compare_shows_the_chosen_interventions_side_by_side(client, indexed):
    page = client.get("/vergelijken?i=schuldhulp-jong&i=taaltraject").get_data(as_text=True)
    assert page.index("Schuldhulp jong") < page.index("Taaltraject")
    assert '<th scope="row">Belemmeringen</th>' in page


def test_compare_keeps_at_most_four_and_names_what_is_gone(client, indexed):
    query = "&".join(f"i={s}" for s in ["schuldhulp-jong", "weg", "taaltraject"])
    page = client.get(f"/vergelijken?{query}").get_data(as_text=True)
    assert "Eén gekozen interventie is niet (meer) gepubliceerd" in page


def test_compare_says_how_many_chosen_beyond_four_are_left_out(client, indexed):
    slugs = ["schuldhulp-jong", "taaltraject", "vijftig-plus", "a", "b", "c"]
    page = client.get("/vergelijken?" + "&".join(f"i={s}" for s in slugs + ["a"])
                      ).get_data(as_text=True)
    assert "U koos 2 interventies meer dan de 4 die naast elkaar passen" in page


def test_compare_with_fewer_than_two_explains_how(client, indexed):
    page = client.get("/vergelijken?i=taaltraject").get_data(as_text=True)
    assert "Kies 2 tot 4 interventies" in page


def test_results_link_to_the_intervention_with_the_way_back(client, indexed):
    page = client.get("/zoeken?q=taaltraject").get_data(as_text=True)
    assert "/interventies/taaltraject?terug=/zoeken?q%3Dtaaltraject" in page
    detail = client.get("/interventies/taaltraject?terug=/zoeken?q%3Dtaaltraject")
    assert 'href="/zoeken?q=taaltraject" class="back-link"' in detail.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/zoeken",
                                    "/beheer/gebruikers", "javascript:alert(1)", "//[",
                                    "//a\uff03b"])
def test_the_way_back_never_leaves_the_search_pages(client, indexed, target):
    page = client.get("/interventies/taaltraject", query_string={"terug": target})
    assert page.status_code == 200
    assert "back-link" not in page.get_data(as_text=True)


@pytest.mark.parametrize("target", ["//[", "http://[", "//evil.example/", "/a\nb",
                                    "/mijn/\r\nX: 1"])
def test_a_language_switch_returns_only_to_a_page_of_this_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_choosing_dutch_on_a_page_opened_in_english_by_its_address_shows_dutch(client, indexed):
    page = client.get("/zoeken?q=werk&lang=en").get_data(as_text=True)
    switch = re.search(r'href="(/taal/nl\?next=[^"]+)"', page).group(1)
    response = client.get(switch.replace("&amp;", "&"))
    assert response.headers["Location"] == "/zoeken?q=werk"
    assert '<html lang="nl">' in client.get(response.headers["Location"]).get_data(as_text=True)


def test_pages_offer_a_shareable_link(client, indexed):
    page = client.get("/interventies/taaltraject").get_data(as_text=True)
    assert 'value="http://localhost/interventies/taaltraject"' in page


def test_profile_results_come_before_the_profile_form_to_adjust(client, indexed):
    page = _profile(client)
    assert page.index('id="resultaten"') < page.index('id="profiel"')
    assert 'name="barrier" value="debt" checked' in page


def test_profile_results_have_a_pager(client, indexed, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    page = client.get("/zoeken/profiel?barrier=debt&age_band=under_27").get_data(as_text=True)
    assert 'rel="next"' in page and "pagina=2" in page


def test_a_query_of_stop_words_only_finds_nothing(client, indexed):
    page = client.get("/zoeken?q=de+en+het").get_data(as_text=True)
    assert "0 interventies gevonden." in page


def test_sign_in_without_a_destination_opens_my_work(client):
    from registry.extensions import db as database
    from tests.unit.procedure.support import login, make_user

    user = make_user("professional")
    database.session.commit()
    assert login(client, user).headers["Location"].endswith("/mijn/")


@pytest.mark.parametrize("target", ["/mijn/\r\nX: 1", "/%0A", "https://evil.example/"])
def test_sign_in_with_an_unfit_destination_opens_my_work(client, target):
    """A `next` that is no path of this site (a line break cannot even stand in the
    Location header) leads to /mijn/, not to an error page after signing in."""
    from registry.extensions import db as database
    from tests.unit.procedure.support import PASSWORD, make_user

    user = make_user("professional")
    database.session.commit()
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD,
                                               "next": target.replace("%0A", "\n")})
    assert (response.status_code, response.headers["Location"]) == (302, "/mijn/")


def test_a_profile_that_finds_nothing_says_what_to_do_and_offers_no_empty_downloads(client,
                                                                                    indexed):
    page = client.get("/zoeken/profiel?goal=de").get_data(as_text=True)
    assert "0 resultaten." in page and "Kies een of meer kenmerken van de cliënt" in page
    assert "export.csv" not in page and "Vergelijk gekozen interventies" not in page
