"""Study search on a database of its own with inline sync: what is searchable (title,
abstract, authors, DOI, PMID), the facets, the change log keeping the study index in
step with ORM edits, links, imports and undo, and the page and API."""

from __future__ import annotations

import io
import shutil

import pytest

from importers.batches import undo_batch
from importers.pipeline import commit_import
from registry.extensions import db
from registry.models import ImportBatch, InterventionStudy, Study, StudyAuthor
from registry.search import sync
from registry.search.kinds import STUDIES
from registry.search.study_service import search_studies
from registry.services.vocabularies import terms_by_code
from search_index import searchers
from tests.functional.search_support import add, index_dir

RIS = (b"TY  - JOUR\nTI  - Loonkostensubsidie en duurzaam werk\nAU  - Vermeulen, Sanne\n"
       b"PY  - 2022\nDO  - 10.1177/0950017022111111\nER  - \n")


def _study(title: str, **values) -> Study:
    study = Study(title=title, **values)
    db.session.add(study)
    db.session.flush()
    return study


def _found(app, text: str = "", **filters) -> list[str]:
    page, _facets = search_studies(index_dir(app), text, filters, "title", 1, 50)
    return [s.title for s in page.items]


@pytest.fixture
def catalogue(live_search_app):
    rct = terms_by_code("study_design")["rct"]
    one = _study("Jobcoaching voor statushouders", abstract="Een gerandomiseerde proef "
                 "naar werkhervatting.", doi="10.1016/j.labeco.2021.102000", pmid="34567890",
                 year=2021, quality="high", language="nl", design_id=rct.id)
    db.session.add(StudyAuthor(study=one, position=1, family_name="Bakker",
                               given_names="Fatima"))
    _study("Schuldhulp en werk", abstract="Een cohortstudie.", year=2019, language="en")
    db.session.commit()
    return one


@pytest.mark.parametrize("text", ["statushouders", "werkhervatting", "Bakker",
                                  "10.1016/j.labeco.2021.102000", "34567890"])
def test_a_study_is_found_by_title_abstract_author_doi_and_pmid(live_search_app, catalogue,
                                                               text):
    assert _found(live_search_app, text) == ["Jobcoaching voor statushouders"]


def test_facets_filter_and_count(live_search_app, catalogue):
    assert _found(live_search_app, study_design=["rct"]) == ["Jobcoaching voor statushouders"]
    assert _found(live_search_app, appraisal=["none"]) == ["Schuldhulp en werk"]
    assert _found(live_search_app, year=["2019", "2021"]) == [
        "Jobcoaching voor statushouders", "Schuldhulp en werk"]
    _page, facets = search_studies(index_dir(live_search_app), "", {}, "-year", 1, 20)
    counts = {v.value: v.count for v in facets["language"]}
    assert (counts["nl"], counts["en"]) == (1, 1)


def test_an_edit_a_link_and_an_author_reach_the_study_index_at_commit(live_search_app,
                                                                     catalogue):
    catalogue.title = "Jobcoaching voor nieuwkomers"
    db.session.commit()
    assert _found(live_search_app, "nieuwkomers") == ["Jobcoaching voor nieuwkomers"]
    assert _found(live_search_app, linked=["yes"]) == []
    intervention = add("Werkfit")
    db.session.add(InterventionStudy(intervention_id=intervention.id, study_id=catalogue.id))
    db.session.commit()
    assert _found(live_search_app, linked=["yes"]) == ["Jobcoaching voor nieuwkomers"]
    db.session.add(StudyAuthor(study_id=catalogue.id, position=2, family_name="Visser"))
    db.session.commit()
    assert _found(live_search_app, "Visser") == ["Jobcoaching voor nieuwkomers"]
    for kind in (STUDIES,):
        assert not sync.verify(db.engine, kind.root(index_dir(live_search_app)), kind)


def test_only_a_link_to_a_published_intervention_counts_as_linked(live_search_app, catalogue):
    intervention = add("Werkfit")
    db.session.add(InterventionStudy(intervention_id=intervention.id, study_id=catalogue.id))
    intervention.published_version = None  # withdrawn: its studies are not shown linked
    db.session.commit()
    assert _found(live_search_app, linked=["yes"]) == []
    intervention.published_version = intervention.versions[0]  # published again
    db.session.commit()
    assert _found(live_search_app, linked=["yes"]) == ["Jobcoaching voor statushouders"]
    assert not sync.verify(db.engine, STUDIES.root(index_dir(live_search_app)), STUDIES)


def test_an_import_and_its_undo_reach_the_study_index(live_search_app):
    report = commit_import(io.BytesIO(RIS), "loon.ris")
    db.session.commit()
    assert _found(live_search_app, "loonkostensubsidie") == [
        "Loonkostensubsidie en duurzaam werk"]
    assert _found(live_search_app, "Vermeulen") == ["Loonkostensubsidie en duurzaam werk"]
    undo_batch(db.session.get(ImportBatch, report.batch_id), user_id=None)
    db.session.commit()
    assert _found(live_search_app, "loonkostensubsidie") == []
    root = STUDIES.root(index_dir(live_search_app))
    assert not sync.verify(db.engine, root, STUDIES)


def test_the_studies_page_searches_with_facets_that_work_without_script(live_search_app,
                                                                        catalogue):
    client = live_search_app.test_client()
    page = client.get("/studies?q=statushouders").get_data(as_text=True)
    assert "1 studie gevonden." in page and "Jobcoaching voor statushouders" in page
    assert 'name="study_design" value="rct"' in page
    filtered = client.get("/studies?appraisal=high").get_data(as_text=True)
    assert "Jobcoaching voor statushouders" in filtered and "Schuldhulp en werk" not in filtered
    assert client.get("/studies?q=x&sorteer=year").status_code == 400


def test_a_search_page_past_the_last_is_not_found_and_says_which_is_last(live_search_app,
                                                                       catalogue):
    # A stale or shared link: a 404 that names the last page, not a server error.
    response = live_search_app.test_client().get("/studies?q=statushouders&pagina=999")

    assert response.status_code == 404
    assert "de laatste pagina is 1" in response.get_data(as_text=True)


def test_the_api_searches_studies_and_refuses_a_sort_the_index_cannot_give(live_search_app,
                                                                           catalogue):
    client = live_search_app.test_client()
    body = client.get("/api/v1/studies?q=werkhervatting").get_json()
    assert [item["title"] for item in body["items"]] == ["Jobcoaching voor statushouders"]
    names = {facet["name"]: facet for facet in body["facets"]}
    assert {"study_design", "year", "appraisal", "language", "linked"} <= set(names)
    assert "q=werkhervatting" in body["links"]["self"]
    refused = client.get("/api/v1/studies?q=werk&sort=year")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"][0]["field"] == "sort"
    english = client.get("/api/v1/studies?q=werk&sort=year&lang=en").get_json()
    assert english["error"]["message"].startswith("With a search text the list sorts by")
    plain = client.get("/api/v1/studies").get_json()
    assert plain["facets"] == [] and len(plain["items"]) == 2


def test_without_the_study_index_the_page_lists_every_study_and_says_so(live_search_app,
                                                                        catalogue):
    searchers.release_all()
    shutil.rmtree(STUDIES.root(index_dir(live_search_app)))
    client = live_search_app.test_client()
    response = client.get("/studies?q=statushouders")
    assert response.status_code == 503
    assert "tijdelijk niet mogelijk" in response.get_data(as_text=True)
    assert client.get("/studies").status_code == 200
    assert client.get("/api/v1/studies?q=werk").status_code == 503


def test_english_abstracts_are_analysed_as_english(live_search_app):
    _study("Supported employment for refugees",
           abstract="Participants were employed more often after twelve months.")
    db.session.commit()
    # English stems: "employment" finds "employed", "refugee" finds "refugees".
    assert _found(live_search_app, "employment refugee") == ["Supported employment for refugees"]
    assert _found(live_search_app, "participant") == ["Supported employment for refugees"]


@pytest.mark.parametrize("query", ["appraisal=bogus", "year=abc", "linked=maybe",
                                   "year=20015"])
def test_a_study_filter_value_the_facet_cannot_have_is_refused_by_name(client, query):
    response = client.get(f"/api/v1/studies?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"].startswith(query.split("=")[0])
