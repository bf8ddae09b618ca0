"""GET /api/v1/openapi.json: valid, complete, and true to what the API answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_schema_validator import validate as validate_instance
from openapi_spec_validator import validate as validate_spec

from registry.api.openapi import api_rules, openapi_path
from registry.extensions import db
from registry.models import OutcomeRating
from tests.factories import FindingFactory, OrganisationFactory, link, make_intervention, term


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def catalogue(db_session):
    """One fully filled intervention with a decision, a rating and a linked study."""
    intervention = make_intervention(
        slug="ips", outcome="effective_good", tags={"barrier": ["mental_health"]}
    )
    decision = intervention.current_decision
    decision.published_at = datetime(2024, 5, 1, tzinfo=UTC)
    decision.ratings.append(
        OutcomeRating(outcome_domain=term("outcome_domain", "work"), level="effective_good")
    )
    intervention.published_version.providers.append(OrganisationFactory())
    finding = FindingFactory()
    link(intervention, finding.study)
    db.session.flush()
    return {"study_id": finding.study.id}


def test_document_is_valid_openapi(document):
    validate_spec(document)


def test_every_api_rule_is_documented(app, document):
    documented = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    registered = {
        (openapi_path(rule), method)
        for rule in api_rules(app)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert registered - documented == set()


def test_page_size_limits_come_from_configuration(app, document):
    parameters = document["paths"]["/api/v1/studies"]["get"]["parameters"]
    per_page = next(p for p in parameters if p["name"] == "per_page")["schema"]
    expected = (app.config["API_DEFAULT_PER_PAGE"], app.config["API_MAX_PER_PAGE"])
    assert (per_page["default"], per_page["maximum"]) == expected


def documented_schema(app, document: dict, url: str, status: int) -> dict:
    rule, _ = app.url_map.bind("localhost").match(url.split("?")[0], return_rule=True)
    responses = document["paths"][openapi_path(rule)]["get"]["responses"]
    response = responses.get(str(status), responses["default"])
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].split("/")[-1]]
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": document["components"]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/interventions",
        "/api/v1/interventions/ips",
        "/api/v1/interventions/onbekend",
        "/api/v1/interventions?page=0",
        "/api/v1/studies",
        "/api/v1/studies/{study_id}",
        "/api/v1/studies/0",
        "/api/v1/vocabularies",
        "/api/v1/vocabularies/barrier",
        "/api/v1/vocabularies/onbekend",
    ],
)
def test_response_matches_its_documented_schema(app, client, document, catalogue, url):
    url = url.format(**catalogue)
    response = client.get(url)
    schema = documented_schema(app, document, url, response.status_code)
    validate_instance(
        response.get_json(), schema, cls=OAS31Validator, enforce_properties_required=True
    )


def test_a_domain_the_panel_did_not_rate_matches_its_documented_schema(document):
    """decided_rating is null where the panel gave none: the enum must allow it, or a
    JSON Schema validator refuses the API's own answers."""
    from jsonschema import Draft202012Validator

    horizon = document["components"]["schemas"]["Horizon"]
    unrated = {"horizon": "short", "proposed_rating": "insufficient", "decided_rating": None,
               "decided_reason": None, "harmful": False}
    assert list(Draft202012Validator(horizon).iter_errors(unrated)) == []
