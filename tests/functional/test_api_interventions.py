"""GET /api/v1/interventions and /api/v1/interventions/<slug>."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from registry.extensions import db
from registry.models import OutcomeRating
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from tests.factories import (
    DecisionFactory,
    OrganisationFactory,
    StudyFactory,
    VersionFactory,
    link,
    make_intervention,
    term,
)

LIST = "/api/v1/interventions"


def detail(client, slug: str) -> dict:
    response = client.get(f"{LIST}/{slug}")
    assert response.status_code == 200
    return response.get_json()


def term_ref(vocabulary: str, code: str) -> dict:
    seeded = term(vocabulary, code)
    return {"code": code, "label_nl": seeded.label_nl, "label_en": seeded.label_en}


def test_list_shows_only_published_interventions(client):
    make_intervention(slug="gepubliceerd")
    make_intervention(slug="concept", published=False)
    items = client.get(LIST).get_json()["items"]
    assert [item["slug"] for item in items] == ["gepubliceerd"]


def test_draft_intervention_detail_is_not_found(client):
    make_intervention(slug="concept", published=False)
    assert client.get(f"{LIST}/concept").status_code == 404


def test_unknown_slug_is_not_found_in_the_error_shape(client):
    response = client.get(f"{LIST}/bestaat-niet")
    error = response.get_json()["error"]
    assert (response.status_code, error["status"], error["code"], error["details"]) == (
        404,
        404,
        "not_found",
        [],
    )
    assert "bestaat-niet" in error["message"]


def test_list_sorts_by_title_descending_on_request(client):
    for title in ("Beta", "Alfa", "Gamma"):
        make_intervention(title=title)
    items = client.get(f"{LIST}?sort=-title").get_json()["items"]
    assert [item["title"] for item in items] == ["Gamma", "Beta", "Alfa"]


@pytest.mark.parametrize(
    ("outcome", "expired", "status", "label"),
    [
        (None, False, "not_assessed", "Niet beoordeeld"),
        ("effective_good", False, "effective_good", "Effectief volgens goede aanwijzingen"),
        ("not_recognised", False, "not_recognised", "Niet erkend"),
        ("effective_first", True, "expired", "Verlopen"),
    ],
)
def test_list_item_shows_public_status_with_dutch_label(client, outcome, expired, status, label):
    make_intervention(outcome=outcome, expired=expired)
    item = client.get(LIST).get_json()["items"][0]
    assert (item["status"], item["status_label"]) == (status, label)


def test_list_item_shows_ladder_range_and_link(client):
    make_intervention(slug="jobcoaching", ladder_rung_min=3, ladder_rung_max=4)
    item = client.get(LIST).get_json()["items"][0]
    assert (item["ladder_rung_min"], item["ladder_rung_max"]) == (3, 4)
    assert item["links"]["self"] == "http://localhost/api/v1/interventions/jobcoaching"


def test_tags_are_grouped_per_vocabulary_in_term_order_with_both_labels(client):
    make_intervention(slug="x", tags={"barrier": ["debt", "language"]})
    tags = detail(client, "x")["tags"]
    assert tags["barrier"] == [term_ref("barrier", "language"), term_ref("barrier", "debt")]


def test_tags_list_every_tag_vocabulary_even_when_empty(client):
    make_intervention(slug="x", tags={"barrier": ["debt"]})
    tags = detail(client, "x")["tags"]
    assert set(tags) == set(INTERVENTION_TAG_VOCABULARIES)
    assert tags["target_group"] == []


def test_detail_holds_every_field_of_the_published_version(client):
    fields = {
        "title": "Werkfit",
        "summary": "Kort.",
        "main_aim": "Betaald werk.",
        "sub_aims": ["Ritme", "Zelfvertrouwen"],
        "target_group_text": "Statushouders.",
        "targets_household": True,
        "approach": "Groepstraining en stage.",
        "duration": "6 maanden",
        "intensity": "2 dagdelen per week",
        "setting_text": "Bij de werkgever",
        "active_elements": ["Oefenen in de praktijk"],
        "ladder_rung_min": 2,
        "ladder_rung_max": 5,
        "cost_min_eur": 1500,
        "cost_max_eur": 2500,
        "cost_notes": "Per deelnemer.",
        "availability_text": "Utrecht en Amersfoort",
        "manual_and_materials": "Handboek 2024",
        "implementation_conditions": "Training van twee dagen.",
        "contact_name": "Anna de Vries",
        "contact_email": "anna@example.org",
        "contact_phone": "030 123 45 67",
        "website": "https://example.org/werkfit",
        "year_started": 2019,
    }
    make_intervention(slug="werkfit", **fields)
    body = detail(client, "werkfit")
    assert {key: body[key] for key in fields} == fields


def test_detail_shows_the_published_version_not_a_newer_draft(client):
    intervention = make_intervention(slug="x", title="Gepubliceerd")
    VersionFactory(intervention=intervention, number=2, status="draft", title="Concept")
    body = detail(client, "x")
    assert (body["version"], body["title"]) == (1, "Gepubliceerd")


def test_detail_reports_the_number_of_the_published_version(client):
    intervention = make_intervention(slug="x")
    intervention.published_version = VersionFactory(intervention=intervention, number=2)
    db.session.flush()
    assert detail(client, "x")["version"] == 2


def test_detail_shows_owner_and_providers(client):
    intervention = make_intervention(slug="x")
    intervention.owner.name = "Stichting Eigenaar"
    intervention.published_version.providers.append(OrganisationFactory(name="Aanbieder BV"))
    db.session.flush()
    body = detail(client, "x")
    assert body["owner"]["name"] == "Stichting Eigenaar"
    assert [p["name"] for p in body["providers"]] == ["Aanbieder BV"]


def test_current_decision_shows_ratings_per_outcome_domain(client):
    intervention = make_intervention(slug="x", outcome="effective_good")
    intervention.current_decision.ratings.append(
        OutcomeRating(outcome_domain=term("outcome_domain", "work"), level="effective_good")
    )
    db.session.flush()
    decision = detail(client, "x")["current_decision"]
    assert decision["ratings"] == [
        {
            "outcome_domain": term_ref("outcome_domain", "work"),
            "level": "effective_good",
            "level_label": "Effectief volgens goede aanwijzingen",
            "summary": None,
        }
    ]


def test_not_assessed_intervention_has_no_current_decision(client):
    make_intervention(slug="x")
    assert detail(client, "x")["current_decision"] is None


def test_decision_history_lists_only_published_decisions_newest_first(client):
    intervention = make_intervention(slug="x")
    published = datetime(2024, 1, 1, tzinfo=UTC)
    for decided_on, published_at in [
        (date(2020, 1, 1), published),
        (date(2024, 1, 1), published),
        (date(2025, 1, 1), None),
    ]:
        DecisionFactory(intervention=intervention, decided_on=decided_on, published_at=published_at)
    db.session.expire(intervention, ["decisions"])
    history = detail(client, "x")["decisions"]
    assert [d["decided_on"] for d in history] == ["2024-01-01", "2020-01-01"]


def test_detail_lists_linked_studies_with_their_relation(client):
    intervention = make_intervention(slug="x")
    study = StudyFactory(title="Procesevaluatie")
    link(intervention, study, relation="process")
    studies = detail(client, "x")["studies"]
    assert [(s["relation"], s["study"]["id"], s["study"]["title"]) for s in studies] == [
        ("process", study.id, "Procesevaluatie")
    ]
