"""A result whose findings rate an outcome domain negative carries a warning in every
result list (search page, profile page, search API), as on the intervention page."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.search import sync
from registry.services.effects import harmful_domains
from search_index import searchers
from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term


def _trial(intervention, direction, domain="income"):
    study = StudyFactory(quality="high", design=term("study_design", "rct"))
    link(intervention, study)
    g = -0.3 if direction == "unfavourable" else 0.3
    FindingFactory(study=study, outcome_domain=term("outcome_domain", domain),
                   effect_size_type="hedges_g", effect_size=g, ci_lower=g - 0.2,
                   ci_upper=g + 0.2, direction=direction, time_point_months=12)


@pytest.fixture
def harmed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    harmful = make_intervention(title="Schuldhulp met risico", slug="risico",
                                tags={"target_group": ["social_assistance"]})
    for _ in range(2):
        _trial(harmful, "unfavourable")
    safe = make_intervention(title="Schuldhulp zonder risico", slug="veilig",
                             tags={"target_group": ["social_assistance"]})
    _trial(safe, "favourable")
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield {"harmful": harmful, "safe": safe, "root": root}
    searchers.release_all()


def test_harmful_domains_follow_the_page_rules(harmed):
    found = harmful_domains([harmed["harmful"].id, harmed["safe"].id])

    assert found == {harmed["harmful"].id: ["income"], harmed["safe"].id: []}


def test_the_search_page_warns_on_the_harmful_result_only(client, harmed):
    html = client.get("/zoeken?q=schuldhulp").get_data(as_text=True)

    assert html.count("result__harm") == 1
    warning = html[html.index("result__harm"):]
    assert "mogelijk nadelig effect op inkomen / uitkeringsafhankelijkheid" in warning[:400]


def test_a_partial_match_warns_once(client, harmed):
    # No intervention has both words: both follow as partial matches (one word each).
    html = client.get("/zoeken?q=schuldhulp+taaltraject").get_data(as_text=True)

    assert "Interventies met een deel van uw zoekwoorden" in html
    assert html.count("result__harm") == 1


def test_the_profile_page_warns_too(client, harmed):
    html = client.get("/zoeken/profiel?target_group=social_assistance").get_data(as_text=True)

    assert html.count("result__harm") == 1


def test_the_search_api_names_the_harmful_domains(client, harmed):
    items = client.get("/api/v1/search?q=schuldhulp").get_json()["items"]

    assert {i["slug"]: i["harmful_domains"] for i in items} == {"risico": ["income"],
                                                               "veilig": []}


def test_warnings_are_kept_per_index_generation_and_follow_a_change(client, harmed,
                                                                    db_session):
    assert client.get("/zoeken?q=schuldhulp").get_data(as_text=True).count("result__harm") == 1
    for _ in range(2):
        _trial(harmed["safe"], "unfavourable", domain="work")
    db.session.flush()
    sync.sync_pending(db_session.connection(), harmed["root"])

    html = client.get("/zoeken?q=schuldhulp").get_data(as_text=True)

    assert html.count("result__harm") == 2


def test_a_harmful_result_ranks_below_an_equal_safe_one_in_the_profile_search(client, harmed):
    # Equal fit and evidence; by title the harmful one ("met") would come first.
    body = client.get("/api/v1/search/profile?target_group=social_assistance").get_json()

    assert [item["slug"] for item in body["items"]] == ["veilig", "risico"]


def test_only_interventions_with_findings_are_asked_about(app, harmed, monkeypatch):
    from registry.search import harm

    plain = make_intervention(title="Schuldhulp zonder onderzoek", slug="zonder-onderzoek",
                              tags={"target_group": ["social_assistance"]})
    db.session.flush()
    sync.rebuild(db.session.connection(), harmed["root"])
    asked: list[list[int]] = []

    def recorded(ids):
        asked.append(sorted(ids))
        return harmful_domains(ids)

    monkeypatch.setattr(harm, "harmful_domains", recorded)
    searcher, view = searchers.acquire(harmed["root"])
    ids = [harmed["harmful"].id, plain.id, harmed["safe"].id]

    assert harm.harm_of(searcher, view, ids) == {
        harmed["harmful"].id: ("income",), plain.id: (), harmed["safe"].id: ()}
    assert asked == [sorted([harmed["harmful"].id, harmed["safe"].id])]
    harm.harm_of(searcher, view, [plain.id])  # known now: no second question
    assert len(asked) == 1
