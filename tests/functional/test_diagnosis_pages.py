"""/zoeken/diagnose: one step per page, answers carried in the query string, then the
profile, why, and the short list from the profile search."""

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
    make_intervention(title="Schuldhulp eerst", slug="schuldhulp-eerst",
                      tags={"barrier": ["debt"]}, ladder_rung_min=1, ladder_rung_max=4)
    make_intervention(title="Taal op de werkvloer", slug="taal", tags={"barrier": ["language"]})
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def page(client, query: str) -> str:
    response = client.get(f"/zoeken/diagnose?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_first_step_asks_its_questions_with_help(client):
    html = page(client, "")
    assert "Stap 1 van 9: Werk en opleiding" in html
    assert 'aria-describedby="uitleg-zonder_werk"' in html


def test_answers_of_other_steps_travel_along_as_hidden_fields(client):
    html = page(client, "stap=4&zonder_werk=lang&schulden=ja")
    assert '<input type="hidden" name="zonder_werk" value="lang">' in html
    assert 'name="schulden" value="ja" checked' in html  # this step's own question


def test_the_profile_shows_why_and_the_short_list(client, indexed):
    html = page(client, "stap=10&schulden=ja&trede=2")
    assert "Belemmeringen: Schulden" in html
    question = "Heeft de cliënt problematische schulden of grote geldzorgen?"
    assert f"<td>{question}</td><td>Ja</td>" in html
    # Both fit rung 2; only one addresses the debts.
    assert re.findall(r'result__title"><a href="/interventies/([^"]+)"', html) == [
        "schuldhulp-eerst", "taal"]
    assert "/zoeken/profiel?barrier=debt&amp;rung=2" in html


def test_the_short_list_says_how_well_each_fits(client, indexed):
    """As on the profile results: a label, how many characteristics fit, and why; here
    the debt programme ends at rung 4, two below the client's."""
    html = page(client, "stap=10&schulden=ja&trede=6")
    fits = re.findall(r'result__title"><a href="/interventies/([^"]+)".*?'
                      r'<strong class="fit-label fit-label--(\w+)">([^<]+)</strong> ([^<]+)</p>',
                      html, re.S)
    assert ("schuldhulp-eerst", "poor", "Past niet.", "Past op 1 van 2 kenmerken.") in fits
    assert '<p class="result__why">past: schulden; past niet: trede 6</p>' in html


def test_the_goal_field_replaces_the_carried_goal(client, indexed):
    html = page(client, "stap=10&schulden=ja&doel=oud")
    form = html[html.index('<label for="doel">') - 400:html.index('<label for="doel">')]
    assert 'name="doel"' not in form


def test_an_unknown_answer_is_ignored_and_a_bad_step_refused(client):
    assert "nog niet tot kenmerken" in page(client, "stap=10&schulden=misschien")
    assert client.get("/zoeken/diagnose?stap=0").status_code == 422
    assert client.get("/zoeken/diagnose?stap=abc").status_code == 422
    assert client.get("/zoeken/diagnose?stap=10&doel=" + "x" * 301).status_code == 422


def test_a_goal_the_textarea_allowed_with_line_breaks_is_taken(client, indexed):
    # 150 lines of "a" + line break: 300 characters to the textarea, 450 as sent (CRLF).
    response = client.get("/zoeken/diagnose", query_string={"stap": 10, "doel": "a\r\n" * 150})
    assert response.status_code == 200


def test_the_home_page_and_the_profile_search_link_to_it(client):
    assert "/zoeken/diagnose" in client.get("/").get_data(as_text=True)
    assert "/zoeken/diagnose" in client.get("/zoeken/profiel").get_data(as_text=True)
