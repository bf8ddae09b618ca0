"""The profile ranking's evidence in the goal's outcome domain: a goal about paid work
weighs the effects rated positive on work above a stronger overall level without them;
the search facet "Positief effect op" and the explanation show the same ratings."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.extensions import db
from registry.search import sync
from registry.search.goals import goal_domains
from search_index import searchers
from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term


def _trial(intervention, domain: str) -> None:
    study = StudyFactory(quality="high", design=term("study_design", "rct"))
    link(intervention, study)
    FindingFactory(study=study, outcome_domain=term("outcome_domain", domain),
                   effect_size_type="hedges_g", effect_size=0.4, ci_lower=0.2,
                   ci_upper=0.6, direction="favourable", time_point_months=12)


@pytest.fixture
def catalogue(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    tags = {"target_group": ["social_assistance"]}
    strong = make_intervention(title="Sterk in het algemeen", slug="sterk",
                               outcome="effective_strong", tags=tags)
    on_work = make_intervention(title="Bewezen op werk", slug="op-werk",
                                outcome="well_described", tags=tags)
    for _ in range(2):
        _trial(on_work, "work")
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield {"strong": strong, "on_work": on_work}
    searchers.release_all()


@pytest.mark.parametrize(("goal", "domains"), [
    ("snel weer betaald werk vinden", ("work",)),
    ("geldzorgen", ("financial_self_reliance",)),  # widened to schulden first
    ("meedoen en een diploma halen", ("participation", "education")),
    ("beter slapen", ()),
])
def test_the_goal_names_its_outcome_domains(goal, domains):
    assert goal_domains(goal) == domains


def _slugs(client, goal: str) -> list[str]:
    body = client.get("/api/v1/search/profile", query_string={
        "target_group": "social_assistance", "goal": goal}).get_json()
    return [item["slug"] for item in body["items"]]


def test_a_goal_about_work_weighs_the_evidence_on_work(client, catalogue):
    assert _slugs(client, "betaald werk") == ["op-werk", "sterk"]


def test_a_goal_about_another_domain_keeps_the_overall_level_first(client, catalogue):
    assert _slugs(client, "dagbesteding") == ["sterk", "op-werk"]


def test_the_facet_and_the_explanation_show_the_positive_effect(client, catalogue):
    found = client.get("/api/v1/search?positive_effect=work").get_json()
    body = client.get("/api/v1/search/profile", query_string={
        "target_group": "social_assistance", "goal": "betaald werk"}).get_json()

    assert [item["slug"] for item in found["items"]] == ["op-werk"]
    assert "positief effect op werk (uitstroom naar werk)" in body["items"][0]["explanation"]
    assert "positief effect" not in body["items"][1]["explanation"]


def test_without_an_age_the_explanation_names_the_one_band_an_intervention_serves(
        app, client, catalogue):
    young = make_intervention(title="Voor jongeren", slug="jong", outcome="well_described",
                              tags={"target_group": ["social_assistance"],
                                    "age_band": ["under_27"]})
    db.session.flush()
    sync.rebuild(db.session.connection(), Path(app.config["INDEX_DIR"]))
    searchers.release_all()
    body = client.get("/api/v1/search/profile", query_string={
        "target_group": "social_assistance"}).get_json()
    page = client.get("/zoeken/profiel", query_string={"target_group": "social_assistance"})

    explained = {item["slug"]: item["explanation"] for item in body["items"]}
    assert explained[young.slug].endswith("alleen voor jonger dan 27 (leeftijd niet opgegeven)")
    assert "alleen voor" not in explained["sterk"]
    assert [item["slug"] for item in body["items"]][-1] == "jong"
    assert "alleen voor jonger dan 27 (leeftijd niet opgegeven)" in page.get_data(as_text=True)
