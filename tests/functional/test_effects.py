"""Effects per outcome domain on the intervention page (ratings, forest plot, the harm
notice) and in GET /api/v1/interventions/<slug>/evidence."""

from __future__ import annotations

import math

import pytest

from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term


def _study(intervention, quality="high", **kwargs):
    study = StudyFactory(quality=quality, design=term("study_design", "rct"), **kwargs)
    link(intervention, study)
    return study


def _finding(study, **kwargs):
    values = {"effect_size_type": "hedges_g", "effect_size": 0.3, "ci_lower": 0.1,
              "ci_upper": 0.5, "n_intervention": 100, "n_comparison": 100,
              "time_point_months": 12, "direction": "favourable", **kwargs}
    return FindingFactory(study=study, **values)


@pytest.fixture
def pooled(app):
    """Two trials on work at 12 months (pooled) and one on income (not pooled)."""
    intervention = make_intervention(slug="werkfit")
    first, second = _study(intervention, year=2019), _study(intervention, year=2021)
    _finding(first, effect_size=0.2, ci_lower=0.0, ci_upper=0.4, direction="null")
    _finding(second, effect_size=0.5, ci_lower=0.3, ci_upper=0.7)
    _finding(second, outcome_domain=term("outcome_domain", "income"),
             effect_size_type="hazard_ratio", effect_size=0.8, ci_lower=0.7, ci_upper=0.9)
    return intervention


def test_the_page_shows_each_domain_with_its_rating_and_forest_plot(client, pooled):
    html = client.get("/interventies/werkfit").get_data(as_text=True)

    assert 'id="effect-work"' in html and 'id="effect-income"' in html
    assert 'id="forest-work"' in html and 'id="forest-income"' not in html
    assert "Mogelijk positief effect" in html  # one favourable study of two
    assert html.count('class="forest-diamond"') == 1
    assert "Niet op één schaal: een hazard ratio is niet om te rekenen" in html


def test_the_forest_plot_is_an_image_with_a_title_and_a_pooled_description(client, pooled):
    html = client.get("/interventies/werkfit").get_data(as_text=True)

    svg = html[html.index('<figure class="chart forest" id="forest-work"'):]
    svg = svg[:svg.index("</svg>")]
    assert 'role="img" aria-labelledby="forest-work-title forest-work-desc"' in svg
    assert "<title id=\"forest-work-title\">Forest plot: Werk" in svg
    assert "Gepoolde g = 0,3" in svg and "k = 2" in svg


def test_a_harmful_domain_is_announced_at_the_top(client, app):
    intervention = make_intervention(slug="schadelijk")
    for _ in range(2):
        _finding(_study(intervention), effect_size=-0.3, ci_lower=-0.5, ci_upper=-0.1,
                 direction="unfavourable")

    html = client.get("/interventies/schadelijk").get_data(as_text=True)

    header = html[:html.index('id="samenvatting"')]
    assert 'class="notice notice--harm"' in header
    assert "Negatief effect" in html


def test_an_intervention_without_effect_studies_says_so(client, app):
    make_intervention(slug="leeg")

    html = client.get("/interventies/leeg").get_data(as_text=True)

    assert "nog geen afgeronde effectstudies" in html


def test_the_evidence_api_gives_ratings_pooled_estimates_and_findings(client, pooled):
    body = client.get("/api/v1/interventions/werkfit/evidence").get_json()

    work = next(d for d in body["domains"] if d["outcome_domain"] == "work")
    (medium,) = work["horizons"]
    assert medium["horizon"] == "medium"
    assert medium["proposed_rating"] == "potentially_positive"
    assert set(medium["pooled"]) == {"estimate", "ci_lower", "ci_upper", "tau2", "i2", "k",
                                     "method", "scale"}
    assert (medium["pooled"]["k"], medium["pooled"]["scale"]) == (2, "hedges_g")
    assert [f["counts"] for f in medium["findings"]] == [True, True]
    assert math.isclose(sum(f["weight"] for f in medium["findings"]), 100)


def test_the_evidence_api_says_why_a_finding_is_not_on_the_common_scale(client, pooled):
    body = client.get("/api/v1/interventions/werkfit/evidence").get_json()

    income = next(d for d in body["domains"] if d["outcome_domain"] == "income")
    (finding,) = income["horizons"][0]["findings"]
    assert (finding["g"], finding["not_on_common_scale"]) == (None, "hazard_ratio")
    assert income["horizons"][0]["proposed_rating"] == "potentially_positive"


def test_the_evidence_of_an_unpublished_intervention_is_not_found(client, app):
    make_intervention(slug="concept", published=False)

    assert client.get("/api/v1/interventions/concept/evidence").status_code == 404


def test_the_fact_sheet_has_the_level_the_ratings_a_plot_and_the_contact(client, pooled):
    pooled.published_version.contact_email = "info@werkfit.example"

    html = client.get("/interventies/werkfit/factsheet").get_data(as_text=True)

    assert 'class="factsheet"' in html
    assert "Mogelijk positief effect" in html
    assert 'id="fs-forest-work"' in html
    assert "info@werkfit.example" in html
    assert "/interventies/werkfit" in html  # the source, for a printed copy


@pytest.mark.parametrize(("website", "link"), [
    ("https://werkfit.example", '<a href="https://werkfit.example">'),
    ("ftp://werkfit.example", None),  # a URL the form accepts but no browser opens
])
def test_the_fact_sheet_links_a_web_address_only(client, app, website, link):
    make_intervention(slug="met-site", website=website)

    html = client.get("/interventies/met-site/factsheet").get_data(as_text=True)

    assert website in html
    assert 'href="None"' not in html
    assert (link in html) if link else f'href="{website}"' not in html


def test_the_fact_sheet_of_an_unpublished_intervention_is_not_found(client, app):
    make_intervention(slug="concept", published=False)

    assert client.get("/interventies/concept/factsheet").status_code == 404


def test_on_a_measure_where_less_is_better_a_no_difference_finding_points_the_right_way(
        client):
    intervention = make_intervention(slug="uitkering")
    common = {"outcome_domain": term("outcome_domain", "income"), "effect_size_type":
              "risk_ratio", "effect_size": None, "ci_lower": None, "ci_upper": None,
              "n_intervention": 200, "n_comparison": 200, "value_comparison": 0.40,
              "time_point_months": 12, "lower_is_better": True,
              "measure": "Uitkeringsafhankelijkheid"}
    for share, direction in ((0.30, "favourable"), (0.38, "null")):
        study = StudyFactory(quality="high", design=term("study_design", "rct"))
        link(intervention, study)
        FindingFactory(study=study, value_intervention=share, direction=direction, **common)
    body = client.get("/api/v1/interventions/uitkering/evidence").get_json()
    findings = body["domains"][0]["horizons"][0]["findings"]
    assert sorted(f["g"] > 0 for f in findings) == [True, True]


def test_an_estimate_beyond_the_plots_axis_is_drawn_as_an_arrow_not_a_square_on_the_edge(
        client):
    intervention = make_intervention(slug="ver")
    for g, lower, upper in ((4.5, 4.0, 5.0), (0.3, 0.1, 0.5)):
        study = StudyFactory(quality="high", design=term("study_design", "rct"))
        link(intervention, study)
        FindingFactory(study=study, effect_size_type="hedges_g", effect_size=g,
                       ci_lower=lower, ci_upper=upper, time_point_months=12,
                       direction="favourable")
    page = client.get("/interventies/ver").get_data(as_text=True)
    assert page.count('<polygon class="forest-point"') == 1
    assert page.count('<rect class="forest-point"') == 1
