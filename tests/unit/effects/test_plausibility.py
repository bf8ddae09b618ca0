"""The coded direction against the numbers: a finding whose estimate points the other
way is refused on entry, since the forest plot would otherwise show it turned."""

from __future__ import annotations

import pytest

from registry.effects.plausibility import AGAINST_THE_NUMBERS, implausible

DIRECTION = ("direction", AGAINST_THE_NUMBERS)


@pytest.mark.parametrize("finding", [
    # A g below zero without a CI: its precision comes from the groups' sizes.
    {"effect_size_type": "hedges_g", "effect_size": -0.4, "n_intervention": 100,
     "n_comparison": 100},
    # An adjusted difference below zero beside raw means that point up: the estimate
    # is what the plot shows.
    {"effect_size_type": "mean_difference", "effect_size": -2, "ci_lower": -3,
     "ci_upper": -1, "value_intervention": 10, "value_comparison": 9,
     "sd_intervention": 4, "sd_comparison": 4, "n_intervention": 60, "n_comparison": 60},
    # An odds ratio below one, not significant: still less of the measure.
    {"effect_size_type": "odds_ratio", "effect_size": 0.9, "ci_lower": 0.6,
     "ci_upper": 1.3, "n_intervention": 80, "n_comparison": 80},
])
def test_a_favourable_finding_whose_estimate_points_down_is_refused(finding):
    assert DIRECTION in implausible({**finding, "direction": "favourable"})
    # Where less of the measure is better, the same numbers are a benefit.
    assert DIRECTION not in implausible({**finding, "direction": "favourable",
                                         "lower_is_better": True})
    assert DIRECTION not in implausible({**finding, "direction": "unfavourable"})


def test_a_finding_of_no_difference_is_never_against_its_numbers():
    assert implausible({"effect_size_type": "hedges_g", "effect_size": -0.4,
                        "n_intervention": 100, "n_comparison": 100,
                        "direction": "null"}) == []


def test_without_an_estimate_the_groups_values_decide():
    finding = {"value_intervention": 0.3, "value_comparison": 0.5, "n_intervention": 50,
               "n_comparison": 50}
    assert DIRECTION in implausible({**finding, "direction": "favourable"})
    assert DIRECTION not in implausible({**finding, "direction": "unfavourable"})


def test_a_hazard_ratio_is_not_judged_by_its_side_of_one():
    # Whether a hazard ratio below one is good depends on the event (work found, or a
    # relapse): the numbers cannot say.
    assert implausible({"effect_size_type": "hazard_ratio", "effect_size": 0.7,
                        "ci_lower": 0.55, "ci_upper": 0.9, "direction": "favourable"}) == []
