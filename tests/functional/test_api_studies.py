"""GET /api/v1/studies and /api/v1/studies/<id>."""

from __future__ import annotations

import pytest

from tests.factories import FindingFactory, StudyFactory, link, make_intervention, term

LIST = "/api/v1/studies"


def detail(client, study_id: int) -> dict:
    response = client.get(f"{LIST}/{study_id}")
    assert response.status_code == 200
    return response.get_json()


def test_list_shows_newest_studies_first(client):
    for year in (2015, 2023, 2019):
        StudyFactory(year=year)
    items = client.get(LIST).get_json()["items"]
    assert [item["year"] for item in items] == [2023, 2019, 2015]


def test_list_sorts_by_title_on_request(client):
    for title in ("Beta", "Alfa"):
        StudyFactory(title=title)
    items = client.get(f"{LIST}?sort=title").get_json()["items"]
    assert [item["title"] for item in items] == ["Alfa", "Beta"]


def test_detail_lists_authors_in_order_with_particles_and_non_ascii_names(client):
    study = StudyFactory(
        authors=[
            ("Berg", "van der", "Johanna"),
            ("Yılmaz", None, "Ayşe"),
            ("Çelik", None, None),
            ("Ørsted", "de", "Søren"),
        ]
    )
    assert detail(client, study.id)["authors"] == [
        {"family_name": "Berg", "particle": "van der", "given_names": "Johanna"},
        {"family_name": "Yılmaz", "particle": None, "given_names": "Ayşe"},
        {"family_name": "Çelik", "particle": None, "given_names": None},
        {"family_name": "Ørsted", "particle": "de", "given_names": "Søren"},
    ]


def test_detail_holds_every_study_field(client):
    values = {
        "title": "Werkt jobcoaching?",
        "year": 2022,
        "journal": "TvA",
        "publisher": "Boom",
        "volume": "38",
        "issue": "2",
        "pages": "101-120",
        "doi": "10.1234/tva.2022.2",
        "pmid": "12345678",
        "url": "https://example.org/studie",
        "abstract": "Een RCT onder bijstandsgerechtigden.",
        "language": "nl",
        "country": "NL",
        "keywords": ["jobcoaching", "bijstand"],
        "publication_type": "journal_article",
        "n_intervention": 150,
        "n_comparison": 149,
        "setting": "Gemeente Utrecht",
        "follow_up_months": 18,
        "quality": "high",
    }
    study = StudyFactory(**values)
    body = detail(client, study.id)
    assert {key: body[key] for key in values} == values


def test_detail_shows_design_code_and_follow_up_band(client):
    study = StudyFactory(design=term("study_design", "cohort"), follow_up_months=40)
    body = detail(client, study.id)
    assert (body["design"], body["follow_up_band"]) == ("cohort", "very_long")


def test_detail_shows_every_finding_field(client):
    finding = FindingFactory(
        outcome_domain=term("outcome_domain", "income"),
        n_intervention=100,
        n_comparison=98,
        value_intervention=0.42,
        value_comparison=0.31,
        counts_towards_rating=False,
        notes="Na 12 maanden.",
    )
    body = detail(client, finding.study.id)
    assert body["findings"] == [
        {
            "id": finding.id,
            "outcome_domain": "income",
            "measure": "Aandeel aan het werk",
            "time_point_months": 12,
            "follow_up_band": "long",
            "effect_size_type": "risk_ratio",
            "effect_size": 1.3,
            "ci_lower": 1.1,
            "ci_upper": 1.6,
            "n_intervention": 100,
            "n_comparison": 98,
            "value_intervention": 0.42,
            "value_comparison": 0.31,
            "sd_intervention": None,
            "sd_comparison": None,
            "p_value": 0.01,
            "direction": "favourable",
            "lower_is_better": False,
            "counts_towards_rating": False,
            "notes": "Na 12 maanden.",
        }
    ]


def test_detail_lists_only_published_linked_interventions(client):
    study = StudyFactory()
    link(make_intervention(slug="openbaar"), study)
    link(make_intervention(slug="concept", published=False), study)
    assert detail(client, study.id)["interventions"] == ["openbaar"]


@pytest.mark.parametrize("path", ["999999", "abc", "-1"])
def test_unknown_study_is_not_found(client, path):
    response = client.get(f"{LIST}/{path}")
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")


def test_a_page_of_studies_keeps_the_order_asked_for(client, db_session):
    """The page's ids are read first, then the studies: the order must survive that."""
    from registry.services.catalogue import list_studies
    from tests.factories import StudyFactory

    for title, year in (("Bravo", 2001), ("Alfa", None), ("Delta", 2010), ("Charlie", 2005)):
        StudyFactory(title=title, year=year)
    db_session.flush()

    newest = [s.title for s in list_studies(1, 10, "-year").items]
    by_title = [s.title for s in list_studies(1, 10, "title").items]
    second_page = [s.title for s in list_studies(2, 3, "title").items]

    assert newest == ["Delta", "Charlie", "Bravo", "Alfa"]
    assert by_title == ["Alfa", "Bravo", "Charlie", "Delta"] and second_page == ["Delta"]
