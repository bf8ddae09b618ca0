"""Findings whose numbers give no usable precision (a CI whose bounds are equal, too few
participants, every participant an event, numbers past a float's range) are shown as
"not on the common scale" with the reason: the intervention page, its fact sheet, the
evidence API and the search index all stay up."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term

URLS = ("/interventies/{slug}", "/interventies/{slug}/factsheet",
        "/api/v1/interventions/{slug}/evidence")


def _finding(intervention, **values):
    study = StudyFactory(quality="high", design=term("study_design", "rct"))
    link(intervention, study)
    return FindingFactory(study=study, **{
        "effect_size_type": "hedges_g", "effect_size": 0.5, "ci_lower": 0.3, "ci_upper": 0.7,
        "n_intervention": 100, "n_comparison": 100, "time_point_months": 12,
        "direction": "favourable", **values})


MEANS = {"effect_size_type": "mean_difference", "effect_size": None, "ci_lower": None,
         "ci_upper": None, "value_intervention": 10.0, "value_comparison": 5.0,
         "sd_intervention": 2.0, "sd_comparison": 2.0}
ODD = {
    "a CI whose bounds are equal": {"effect_size": 0.3, "ci_lower": 0.3, "ci_upper": 0.3},
    "three participants": {**MEANS, "n_intervention": 1, "n_comparison": 2},
    "standard deviations past a float's square": {**MEANS, "sd_intervention": 1e200,
                                                  "sd_comparison": 1e200},
    "means past a float's range": {**MEANS, "value_intervention": 1e308,
                                   "value_comparison": -1e308},
}


@pytest.mark.parametrize("odd", ODD.values(), ids=ODD.keys())
def test_a_finding_without_usable_precision_leaves_every_page_up(client, odd):
    intervention = make_intervention(slug="smal")
    _finding(intervention, **odd)
    _finding(intervention)
    codes = [client.get(url.format(slug="smal")).status_code for url in URLS]
    assert codes == [200, 200, 200]


def test_risk_ratios_where_everyone_had_the_event_leave_every_page_up(client):
    intervention = make_intervention(slug="alles")
    for _ in range(2):
        _finding(intervention, effect_size_type="risk_ratio", effect_size=None,
                 ci_lower=None, ci_upper=None, n_intervention=50, n_comparison=50,
                 value_intervention=1.0, value_comparison=1.0, direction="null")
    codes = [client.get(url.format(slug="alles")).status_code for url in URLS]
    assert codes == [200, 200, 200]


def test_the_search_index_is_built_and_searched_with_such_a_finding(client, app, db_session,
                                                                    tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    intervention = make_intervention(title="Schuldhulp smal", slug="smal")
    _finding(intervention, **ODD["a CI whose bounds are equal"])
    _finding(intervention)
    db.session.flush()
    try:
        sync.rebuild(db_session.connection(), root)
        assert client.get("/zoeken?q=schuldhulp").status_code == 200
    finally:
        searchers.release_all()
