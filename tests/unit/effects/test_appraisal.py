"""The study appraisal's rules (registry/effects/appraisal.py), at every boundary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from registry.effects.appraisal import Answers, appraise, attrition_band, baseline_band

STRONG_RCT = Answers(design="rct", group_formation="random", overall_attrition=10.0,
                     differential_attrition=2.0, baseline_difference=None,
                     baseline_adjusted=False, confounding="none",
                     outcome_measures="valid_reliable", analysis="appropriate")
QED = replace(STRONG_RCT, design="quasi_experimental", group_formation="matched",
              baseline_difference=0.03)


@pytest.mark.parametrize(("overall", "differential", "band"), [
    (20.0, 5.0, "low"), (20.1, 5.0, "high"), (20.0, 5.1, "high"), (0.0, 0.0, "low"),
    (None, 1.0, "unknown"), (10.0, None, "unknown"),
])
def test_attrition_band(overall, differential, band):
    assert attrition_band(overall, differential) == band


@pytest.mark.parametrize(("difference", "band"), [
    (0.0, "equivalent"), (0.05, "equivalent"), (0.051, "adjustment_needed"),
    (0.25, "adjustment_needed"), (0.251, "not_equivalent"), (None, "unknown"),
])
def test_baseline_band(difference, band):
    assert baseline_band(difference) == band


def test_a_randomised_study_with_low_attrition_meets_without_reservations():
    assert appraise(STRONG_RCT).rating == "meets_without_reservations"


def test_low_attrition_spares_a_randomised_study_the_baseline_check():
    verdict = appraise(replace(STRONG_RCT, baseline_difference=0.4))
    assert verdict.rating == "meets_without_reservations"


@pytest.mark.parametrize(("change", "reason"), [
    ({"overall_attrition": 35.0}, "high_attrition"),
    ({"differential_attrition": None}, "high_attrition"),
    ({"group_formation": "self_selected"}, "randomisation_compromised"),
])
def test_a_weaker_randomised_study_with_equivalent_groups_meets_with_reservations(change, reason):
    verdict = appraise(replace(STRONG_RCT, baseline_difference=0.05, **change))
    assert (verdict.rating, verdict.reasons) == ("meets_with_reservations", (reason,))


@pytest.mark.parametrize(("difference", "adjusted", "rating"), [
    (0.05, False, "meets_with_reservations"),
    (0.06, False, "does_not_meet"),
    (0.06, True, "meets_with_reservations"),
    (0.25, True, "meets_with_reservations"),
    (0.26, True, "does_not_meet"),
    (None, True, "does_not_meet"),
])
def test_a_quasi_experiment_depends_on_baseline_equivalence(difference, adjusted, rating):
    answers = replace(QED, baseline_difference=difference, baseline_adjusted=adjusted)
    assert appraise(answers).rating == rating


@pytest.mark.parametrize(("change", "reason"), [
    ({"design": "pre_post"}, "no_comparison_group"),
    ({"design": "other"}, "no_comparison_group"),
    ({"confounding": "present"}, "confounding"),
    ({"outcome_measures": "doubtful"}, "outcome_measures"),
    ({"analysis": "flawed"}, "analysis"),
])
def test_a_fatal_flaw_fails_even_the_strongest_design(change, reason):
    verdict = appraise(replace(STRONG_RCT, **change))
    assert verdict.rating == "does_not_meet"
    assert reason in verdict.reasons


def test_every_reason_that_lowers_the_rating_is_given():
    verdict = appraise(replace(QED, baseline_difference=0.3, analysis="flawed"))
    assert verdict.reasons == ("analysis", "baseline_not_equivalent", "not_randomised")
