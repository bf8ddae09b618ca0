"""Result exports of a search and a profile search: every match in the page's order, with
status, score, reasons and URLs, as CSV and JSON; capped, and saying so."""

from __future__ import annotations

import csv
import io

import pytest

from registry.extensions import db
from registry.search import sync
from registry.views import exports
from search_index import searchers
from tests.factories import make_intervention


@pytest.fixture
def indexed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    for number in range(5):
        make_intervention(title=f"Schuldhulp traject {number}", outcome="effective_good",
                          tags={"barrier": ["debt"], "target_group": ["social_assistance"]},
                          ladder_rung_min=1, ladder_rung_max=3)
    make_intervention(title="Taalcursus", tags={"barrier": ["language"]})
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def test_a_search_exports_every_match_as_csv(client, indexed):
    response = client.get("/zoeken/export.csv?barrier=debt")

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert len(rows) == 5
    assert rows[0]["status_label"] == "Effectief volgens goede aanwijzingen"
    assert rows[0]["url"].startswith("http://localhost/interventies/")


def test_a_search_export_as_json_says_when_it_is_capped(client, indexed, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CAP", 3)

    body = client.get("/zoeken/export.json?barrier=debt").get_json()

    assert (body["total"], body["exported"], body["cap"], body["truncated"]) == (5, 3, 3, True)
    assert [item["rank"] for item in body["items"]] == [1, 2, 3]


def test_a_profile_export_gives_scores_and_reasons(client, indexed):
    body = client.get("/zoeken/profiel/export.json?rung=2&barrier=debt&barrier=language"
                      ).get_json()

    # Language is named by one intervention in six, debt by five: the rarer fit ranks first.
    first = body["items"][0]
    assert first["fits"] == ["trede 2", "taalbeheersing"]
    assert "schulden" in first["not_named"][0]
    assert first["score"] > body["items"][-1]["score"]
    assert first["explanation"].startswith("past: trede 2, taalbeheersing")


def test_an_english_profile_export_gives_its_reasons_in_english(client, indexed):
    client.get("/taal/en?next=/")
    body = client.get("/zoeken/profiel/export.json?rung=2&barrier=debt&barrier=language"
                      ).get_json()

    first = body["items"][0]
    assert first["fits"] == ["rung 2", "language proficiency"]
    assert first["explanation"].startswith("fits: rung 2, language proficiency")


def test_an_export_with_invalid_filters_is_refused(client, indexed):
    assert client.get("/zoeken/export.csv?sorteer=willekeurig").status_code == 422
    assert client.get("/zoeken/profiel/export.csv?rung=9").status_code == 422


def test_the_search_page_links_its_exports(client, indexed):
    page = client.get("/zoeken?barrier=debt").get_data(as_text=True)

    assert 'href="/zoeken/export.csv?barrier=debt"' in page


def test_a_title_that_is_a_formula_is_exported_as_text(client, app, db_session, tmp_path,
                                                        monkeypatch):
    # Titles come from the interventions' owners and the export is anonymous: a
    # spreadsheet must not run them (CSV injection).
    root = tmp_path / "formula-index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    make_intervention(title='=HYPERLINK("http://evil.example","Klik")',
                      tags={"barrier": ["debt"]})
    db.session.flush()
    sync.rebuild(db_session.connection(), root)

    text = client.get("/zoeken/export.csv?barrier=debt").get_data(as_text=True)
    searchers.release_all()

    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == """'=HYPERLINK("http://evil.example","Klik")"""
    assert rows[0]["rank"] == "1"


def test_a_search_without_results_offers_no_download_but_its_feed(client, indexed):
    empty = client.get("/zoeken?q=schuldhulp&barrier=language").get_data(as_text=True)
    found = client.get("/zoeken?q=schuldhulp").get_data(as_text=True)
    assert "/zoeken/export.csv" in found and "/zoeken/export.csv" not in empty
    assert "/zoeken/export.json" not in empty
    assert "Deze zoekopdracht volgen (Atom-feed)" in empty
