"""The evidence gap map (/bewijskaart, its CSV and GET /api/v1/evidence-map): counts from
the index equal the searches their cells link to, studies behind each cell, gaps, column
choice and the level filter, and bad parameters refused."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term


def _with_findings(title, domains, tags, outcome="effective_good", ongoing=False):
    intervention = make_intervention(title=title, tags=tags, outcome=outcome)
    study = StudyFactory(ongoing=ongoing)
    link(intervention, study)
    for domain in domains:
        FindingFactory(study=study, outcome_domain=term("outcome_domain", domain))
    return intervention, study


@pytest.fixture
def mapped(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    _with_findings("Jobcoach bijstand", ["work", "income"],
                   {"target_group": ["social_assistance"], "barrier": ["debt"]})
    _with_findings("Leerwerk jongeren", ["work"], {"target_group": ["youth_no_qualification"]},
                   outcome="effective_first")
    _with_findings("Lopend onderzoek", ["health_wellbeing"],
                   {"target_group": ["social_assistance"]}, ongoing=True)
    make_intervention(title="Zonder onderzoek", tags={"target_group": ["social_assistance"]})
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def _api(client, query=""):
    response = client.get(f"/api/v1/evidence-map{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _cell(body, row, column):
    return next(c for c in body["cells"] if (c["row"], c["column"]) == (row, column))


def test_cells_count_interventions_and_their_studies(client, mapped):
    body = _api(client)

    work = _cell(body, "work", "social_assistance")
    assert (work["interventions"], work["studies"], work["best_rating"]) == (
        1, 1, "effective_good")
    # A study still running does not put its domain on the map.
    assert _cell(body, "health_wellbeing", "social_assistance")["interventions"] == 0
    assert _cell(body, "education", "wajong") == {
        **_cell(body, "education", "wajong"), "interventions": 0, "studies": 0,
        "best_rating": None}


def test_every_cell_count_is_the_total_of_the_search_it_links_to(client, mapped):
    body = _api(client)

    for cell in body["cells"]:
        query = urlsplit(cell["search_url"]).query
        search = client.get(f"/api/v1/search?{query}").get_json()
        assert search["total"] == cell["interventions"], cell


def test_columns_switch_to_barriers_and_rungs(client, mapped):
    barriers = _api(client, "?columns=barrier")
    rungs = _api(client, "?columns=ladder_rung")

    assert _cell(barriers, "income", "debt")["interventions"] == 1
    assert {c["code"] for c in rungs["columns"]} >= {"1", "6"}
    assert barriers["column_facet"] == "barrier"


def test_the_level_filter_narrows_the_map(client, mapped):
    body = _api(client, "?level=effective_first")

    assert _cell(body, "work", "social_assistance")["interventions"] == 0
    assert _cell(body, "work", "youth_no_qualification")["interventions"] == 1
    assert "level=effective_first" in _cell(body, "work", "youth_no_qualification")["search_url"]


@pytest.mark.parametrize("query", ["?columns=region", "?rows=target_group", "?level=beste",
                                   "?columns=", "?study_design=" + "x" * 61,
                                   "?" + "&".join(["study_design=rct"] * 21)])
def test_bad_parameters_are_refused(client, mapped, query):
    response = client.get(f"/api/v1/evidence-map{query}")

    assert response.status_code == 422
    assert response.get_json()["error"]["details"]


def test_the_page_shows_the_grid_with_gaps_and_links(client, mapped):
    html = client.get("/bewijskaart").get_data(as_text=True)

    assert '<table class="gap-map">' in html
    assert "1 interventie" in html and "geen onderzoek" in html
    assert "/zoeken?outcome_domain=work&amp;target_group=social_assistance" in html


def test_the_csv_has_a_row_per_cell(client, mapped):
    response = client.get("/bewijskaart.csv?columns=barrier")

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    debt = next(r for r in rows if (r["outcome_domain"], r["barrier"]) == ("income", "debt"))
    assert (debt["interventions"], debt["studies"], debt["best_rating"]) == (
        "1", "1", "effective_good")


def test_the_search_filters_on_outcome_domain(client, mapped):
    body = client.get("/api/v1/search?outcome_domain=work").get_json()

    assert body["total"] == 2


def test_without_an_index_the_map_is_unavailable_not_an_error(client, app, tmp_path,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "geen-index"))

    response = client.get("/api/v1/evidence-map")

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "search_unavailable"
    assert client.get("/bewijskaart").status_code == 503


def test_a_change_that_reaches_the_index_reaches_the_map(client, mapped, db_session):
    before = _cell(_api(client), "income", "youth_no_qualification")["interventions"]
    _with_findings("Nieuw voor jongeren", ["income"],
                   {"target_group": ["youth_no_qualification"]})
    db.session.flush()

    sync.sync_pending(db_session.connection(), mapped)

    after = _cell(_api(client), "income", "youth_no_qualification")
    assert (before, after["interventions"], after["studies"]) == (0, 1, 1)


def _quasi_experiment_on_work(intervention) -> None:
    quasi = StudyFactory(design=term("study_design", "quasi_experimental"))
    link(intervention, quasi)
    FindingFactory(study=quasi, outcome_domain=term("outcome_domain", "work"))


@pytest.fixture
def designs_mapped(app, db_session, tmp_path, monkeypatch):
    """One intervention with a randomised and a quasi-experimental study on work, one
    with a quasi-experimental study only."""
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    both, _rct = _with_findings("Jobcoach bijstand", ["work"],
                                {"target_group": ["social_assistance"]})
    _quasi_experiment_on_work(both)
    _only, study = _with_findings("Werkstage", ["work"], {"target_group": ["social_assistance"]})
    study.design = term("study_design", "quasi_experimental")
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield root
    searchers.release_all()


def test_the_design_filter_narrows_interventions_and_counts_only_those_studies(
        client, designs_mapped):
    everything = _cell(_api(client), "work", "social_assistance")
    randomised = _cell(_api(client, "?study_design=rct"), "work", "social_assistance")

    assert (everything["interventions"], everything["studies"]) == (2, 3)
    assert (randomised["interventions"], randomised["studies"]) == (1, 1)


def test_a_design_filtered_cell_links_to_a_search_with_the_same_total(client, designs_mapped):
    cell = _cell(_api(client, "?study_design=quasi_experimental"), "work", "social_assistance")

    search = client.get(f"/api/v1/search?{urlsplit(cell['search_url']).query}").get_json()

    assert "study_design=quasi_experimental" in cell["search_url"]
    assert search["total"] == cell["interventions"] == 2


def test_a_design_counts_where_a_study_of_that_design_found_something(client, db_session,
                                                                     app, tmp_path,
                                                                     monkeypatch):
    """An RCT on income and a quasi-experiment on paid work are no RCT evidence on paid
    work: the RCT-filtered map counts the intervention on income only."""
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    mixed, rct = _with_findings("Jobcoach bijstand", ["income"],
                                {"target_group": ["social_assistance"]})
    _quasi_experiment_on_work(mixed)
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    try:
        body = _api(client, "?study_design=rct")
        work, income = (_cell(body, row, "social_assistance") for row in ("work", "income"))
        assert (work["interventions"], work["studies"], work["best_rating"]) == (0, 0, None)
        assert (income["interventions"], income["studies"]) == (1, 1)
        assert income["best_rating"] == "effective_good"
        page = client.get("/bewijskaart?study_design=rct").get_data(as_text=True)
        assert "filtert op uitkomstdomein en opzet los van elkaar" in page
    finally:
        searchers.release_all()


def test_the_map_page_offers_the_design_filter(client, designs_mapped):
    page = client.get("/bewijskaart?study_design=rct").get_data(as_text=True)

    assert 'name="study_design" value="rct" checked' in page


def test_a_wrong_choice_on_the_map_is_explained_in_the_pages_language(client, mapped):
    dutch = client.get("/bewijskaart?columns=xyz")
    text = dutch.get_data(as_text=True)
    assert dutch.status_code == 422
    assert "Kolommen" in text and "Kies een van de mogelijkheden." in text
    assert "Must be one of" not in text
    client.get("/taal/en?next=/")
    english = client.get("/bewijskaart?level=foo").get_data(as_text=True)
    assert "The search parameters are invalid." in english
    assert "De zoekparameters" not in english
