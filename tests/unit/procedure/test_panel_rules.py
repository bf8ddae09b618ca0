"""Panels by the level sought (registry/services/panel_rules.py): the rules, the setting
that replaces them, and the discussion refused while the panel breaks its rule."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from registry import create_app
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import AuditEvent
from registry.models.procedure import SCREENING_CRITERIA
from registry.services import (
    accounts,
    assessment,
    decision,
    panel_rules,
    screening,
    submission,
)
from tests.unit.procedure.support import drive, full_appraisals, full_scores, make_cast, make_user


def test_a_round_without_a_level_sought_needs_the_minimum_panel_only(app):
    rule = panel_rules.rule_for(None)
    assert (rule.reviewers, rule.expertise) == (app.config["PANEL_MIN_REVIEWERS"], ())


def test_the_default_rules_ask_a_methodologist_for_every_effect_level():
    rules = panel_rules.rules()
    assert rules["well_described"].expertise == ("practice",)
    assert rules["well_founded"].expertise == ("practice", "content")
    for level in ("effective_first", "effective_good", "effective_strong"):
        assert rules[level].reviewers == 3
        assert "methodology" in rules[level].expertise


def test_the_setting_replaces_the_rule_of_a_level(app, monkeypatch):
    monkeypatch.setitem(app.config, "PANEL_RULES", json.dumps(
        {"well_described": {"reviewers": 4, "expertise": ["lived_experience"]}}))
    rule = panel_rules.rule_for("well_described")
    assert (rule.reviewers, rule.expertise) == (4, ("lived_experience",))
    assert panel_rules.rule_for("well_founded").expertise == ("practice", "content")


@pytest.mark.parametrize("setting", [
    {"well_described": {"reviewers": 2, "expertise": ["astrology"]}},
    {"well_described": {"reviewers": 1, "expertise": []}},
    {"brilliant": {"reviewers": 2, "expertise": []}},
])
def test_a_setting_that_cannot_be_met_is_refused(app, monkeypatch, setting):
    monkeypatch.setitem(app.config, "PANEL_RULES", json.dumps(setting))
    with pytest.raises(ValueError, match="PANEL_RULES"):
        panel_rules.rules()


def test_unmet_names_the_missing_reviewers_and_each_missing_expertise():
    practitioner = make_user("reviewer")
    accounts.set_expertise(practitioner, ["practice"])
    rule = panel_rules.rule_for("effective_good")
    assert panel_rules.unmet(rule, [practitioner]) == [
        "3 beoordelaars nodig, het panel heeft er 1",
        "niemand in het panel heeft deskundigheid in methodologie en statistiek",
    ]


def _round_seeking(cast, level: str):
    round_ = drive(cast, "draft")
    submission.submit(round_, cast.owner, level_sought=level)
    screening.start_screening(round_, cast.secretary)
    screening.screen(round_, cast.secretary, list(SCREENING_CRITERIA), "accepted", None)
    return round_


def _on_panel_and_assessed(round_, cast, reviewer) -> None:
    screening.assign_reviewer(round_, cast.secretary, reviewer)
    screening.declare_no_conflict(round_, reviewer)
    assessment.save_assessment(round_, reviewer, {
        "scores": full_scores(round_), "appraisals": full_appraisals(round_),
        "proposed_level": "effective_good",
        "motivation": "Zie dossier.", "submit": True})


def test_the_discussion_waits_until_the_panel_meets_the_rule_of_the_level_sought():
    cast = make_cast()
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        accounts.set_expertise(reviewer, ["practice"])
    round_ = _round_seeking(cast, "effective_good")
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        _on_panel_and_assessed(round_, cast, reviewer)
    with pytest.raises(InvalidTransition, match="regel voor Effectief volgens goede "
                                                "aanwijzingen.*methodologie"):
        decision.open_discussion(round_, cast.secretary)
    assert round_.state == "in_review"

    methodologist = make_user("reviewer")
    accounts.set_expertise(methodologist, ["methodology"])
    _on_panel_and_assessed(round_, cast, methodologist)
    decision.open_discussion(round_, cast.secretary)
    assert round_.state == "in_discussion"


def test_submitting_records_the_level_sought_and_refuses_an_unknown_one():
    cast = make_cast()
    round_ = drive(cast, "draft")
    with pytest.raises(ValidationFailed):
        submission.submit(round_, cast.owner, level_sought="outstanding")
    assert (round_.state, round_.level_sought) == ("draft", None)
    submission.submit(round_, cast.owner, level_sought="well_founded")
    assert (round_.state, round_.level_sought) == ("submitted", "well_founded")


def test_expertise_is_recorded_with_an_audit_event_and_unknown_codes_are_refused():
    reviewer = make_user("reviewer")
    admin = make_user("admin")
    accounts.set_expertise(reviewer, ["practice", "methodology"], actor=admin)
    assert reviewer.expertise == {"practice", "methodology"}
    accounts.set_expertise(reviewer, ["methodology"], actor=admin)
    assert reviewer.expertise == {"methodology"}
    events = db.session.scalars(select(AuditEvent).filter_by(
        entity_type="users", entity_id=reviewer.id, action="set_expertise")).all()
    assert [e.after["expertise"] for e in events] == [["methodology", "practice"],
                                                       ["methodology"]]
    with pytest.raises(ValidationFailed, match="Onbekende deskundigheid: astrologie"):
        accounts.set_expertise(reviewer, ["astrologie"])
    assert reviewer.expertise == {"methodology"}


@pytest.mark.parametrize("setting", ["[1, 2]", "{nee", '{"well_described": {"expertise": []}}',
                                     '{"well_described": {"reviewers": 1, "expertise": []}}'])
def test_the_app_refuses_to_start_with_panel_rules_that_cannot_be_met(setting, tmp_path):
    with pytest.raises(RuntimeError, match="REGISTRY_PANEL_RULES"):
        create_app({"TESTING": True, "PANEL_RULES": setting,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
