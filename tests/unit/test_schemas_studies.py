"""The study schema loads its own dump (the registry's JSON import format)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from marshmallow import ValidationError

from registry.schemas.studies import StudySchema
from tests.factories import FindingFactory, StudyFactory, term

STUDY_COLUMNS = (
    "title",
    "ongoing",
    "trial_registration",
    "expected_end",
    "year",
    "journal",
    "publisher",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
    "language",
    "country",
    "keywords",
    "publication_type",
    "n_intervention",
    "n_comparison",
    "setting",
    "follow_up_months",
    "quality",
)
FINDING_COLUMNS = (
    "measure",
    "time_point_months",
    "effect_size_type",
    "effect_size",
    "ci_lower",
    "ci_upper",
    "n_intervention",
    "n_comparison",
    "sd_intervention",
    "sd_comparison",
    "value_intervention",
    "value_comparison",
    "p_value",
    "direction",
    "lower_is_better",
    "counts_towards_rating",
    "notes",
)


@pytest.fixture
def study(db_session):
    study = StudyFactory(
        authors=[("Berg", "van der", "Johanna"), ("Yılmaz", None, "Ayşe")],
        publisher="Boom",
        abstract="Een gerandomiseerde studie.",
        keywords=["jobcoaching", "bijstand"],
        url="https://example.org/s",
        pmid="31234567",
    )
    FindingFactory(study=study, notes="Primaire uitkomst", value_intervention=0.4,
                   value_comparison=0.3, n_intervention=120, n_comparison=118)
    FindingFactory(study=study, effect_size_type="mean_difference", effect_size=2.5,
                   ci_lower=0.5, ci_upper=4.5, value_intervention=40.0, value_comparison=37.5,
                   sd_intervention=8.5, sd_comparison=9.1)
    FindingFactory(study=study, outcome_domain=term("outcome_domain", "income"), ci_lower=None)
    return study


@pytest.fixture
def dumped(app, study) -> dict:
    """What GET /api/v1/studies/<id> sends, after a trip through JSON."""
    with app.test_request_context():
        return json.loads(json.dumps(StudySchema().dump(study)))


def expected_values(study) -> dict:
    values = {column: getattr(study, column) for column in STUDY_COLUMNS}
    values["design"] = study.design.code
    values["authors"] = [
        {
            "family_name": a.family_name,
            "particle": a.particle,
            "given_names": a.given_names,
            "position": a.position,
        }
        for a in study.authors
    ]
    values["findings"] = [
        {
            **{column: getattr(f, column) for column in FINDING_COLUMNS},
            "outcome_domain": f.outcome_domain.code,
        }
        for f in study.findings
    ]
    return values


def test_load_of_dump_gives_the_model_field_values(study, dumped):
    assert StudySchema().load(dumped) == expected_values(study)


def test_effect_sizes_load_back_as_decimals(dumped):
    finding = StudySchema().load(dumped)["findings"][0]
    assert finding["effect_size"] == Decimal("1.3")
    assert isinstance(finding["effect_size"], Decimal)


@pytest.mark.parametrize("read_only", ["id", "links", "follow_up_band", "interventions"])
def test_load_drops_read_only_keys(dumped, read_only):
    assert read_only not in StudySchema().load(dumped)


def test_load_refuses_an_unknown_key(dumped):
    with pytest.raises(ValidationError) as error:
        StudySchema().load({**dumped, "titel": "Typo"})
    assert "titel" in error.value.messages


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"year": 1850}, "year"),
        ({"quality": "excellent"}, "quality"),
        ({"country": "NLD"}, "country"),
        ({"authors": [{"particle": "van"}]}, "authors"),
    ],
)
def test_load_rejects_invalid_study_values(dumped, change, field):
    with pytest.raises(ValidationError) as error:
        StudySchema().load({**dumped, **change})
    assert set(error.value.messages) == {field}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "positive"}, "direction"),
        ({"p_value": 1.5}, "p_value"),
        ({"effect_size_type": "r"}, "effect_size_type"),
        ({"ci_lower": 2.0, "ci_upper": 1.0}, "ci_lower"),
        ({"outcome_domain": None}, "outcome_domain"),
    ],
)
def test_load_rejects_invalid_finding_values(dumped, change, field):
    findings = [{**dumped["findings"][0], **change}]
    with pytest.raises(ValidationError) as error:
        StudySchema().load({**dumped, "findings": findings})
    assert set(error.value.messages["findings"][0]) == {field}
