"""Conversions to Hedges' g against published worked examples (Borenstein et al. 2009)
and against statsmodels' meta_analysis functions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.stats.meta_analysis as sm_meta
from hypothesis import given
from hypothesis import strategies as st

from registry.effects import effect_sizes as es
from registry.effects.effect_sizes import FindingData, to_common_scale


def _means(**overrides) -> FindingData:
    # Borenstein et al. (2009), 4.3: two groups of 50, means 103 and 100, SDs 5.5, 4.5.
    values = {"effect_size_type": "mean_difference", "effect_size": 3.0,
              "n_intervention": 50, "n_comparison": 50, "value_intervention": 103.0,
              "value_comparison": 100.0, "sd_intervention": 5.5, "sd_comparison": 4.5,
              "direction": "favourable"}
    return FindingData(**{**values, **overrides})


def test_d_from_means_is_borensteins_worked_example():
    d = es.d_from_means(103, 5.5, 50, 100, 4.5, 50)

    assert round(d, 4) == 0.5970
    assert round(es.d_variance(d, 50, 50), 4) == 0.0418


def test_g_from_means_is_borensteins_worked_example():
    effect = to_common_scale(_means(effect_size=None))

    assert round(es.correction_j(50, 50), 4) == 0.9923
    assert round(effect.g, 4) == 0.5924
    assert round(effect.variance, 4) == 0.0411
    assert effect.method == "means"


def test_g_from_means_is_statsmodels_bias_corrected_smd():
    g, _ = sm_meta.effectsize_smd(103, 5.5, 50, 100, 4.5, 50)

    assert to_common_scale(_means()).g == pytest.approx(g, abs=1e-12)


def test_log_odds_ratio_is_borensteins_worked_example():
    # Borenstein 5.8–5.10: 5 of 100 against 10 of 100.
    log_or, variance = es.log_odds_ratio(0.05, 100, 0.10, 100)

    assert round(math.exp(log_or), 4) == 0.4737
    assert round(log_or, 4) == -0.7472
    assert round(variance, 4) == 0.3216


def test_logit_method_is_borensteins_worked_example():
    # Borenstein 7.1–7.2: ln(OR) −0.7472 with variance 0.3216 gives d −0.4119 (from the
    # rounded ln(OR); −0.41196 unrounded), V 0.0978.
    finding = FindingData("odds_ratio", effect_size=0.4737, n_intervention=100,
                          n_comparison=100, value_intervention=0.05, value_comparison=0.10,
                          direction="null")

    effect = to_common_scale(finding)

    j = es.correction_j(100, 100)
    assert round(effect.g / j, 3) == -0.412
    assert round(effect.variance / j ** 2, 4) == 0.0978


@given(st.integers(5, 5000), st.integers(5, 5000), st.integers(1, 99), st.integers(1, 99))
def test_two_by_two_tables_agree_with_statsmodels(n1, n2, percent1, percent2):
    count1, count2 = round(n1 * percent1 / 100), round(n2 * percent2 / 100)
    if count1 in (0, n1) or count2 in (0, n2):
        return  # statsmodels corrects empty cells differently
    for statistic, function in (("odds-ratio", es.log_odds_ratio),
                                ("risk-ratio", es.log_risk_ratio)):
        expected, variance = sm_meta.effectsize_2proportions(
            np.array([count1]), np.array([n1]), np.array([count2]), np.array([n2]),
            statistic=statistic)

        mine = function(count1 / n1, n1, count2 / n2, n2)

        assert mine == pytest.approx((expected[0], variance[0]), rel=1e-9)


def test_a_favourable_ratio_below_one_becomes_a_positive_g():
    # Benefit dependence: fewer on benefits is better.
    finding = FindingData("risk_ratio", 0.74, 0.58, 0.94, 212, 398, 0.29, 0.39,
                          direction="favourable")

    effect = to_common_scale(finding)

    assert effect.g > 0
    # The ratio stays as reported (intervention against comparison): 0.74, not 1.35.
    assert effect.log_ratio == pytest.approx(math.log((0.29) / (0.39)), rel=1e-2)
    assert effect.ratio_turned


def test_an_unfavourable_effect_is_negative():
    finding = FindingData("hedges_g", 0.22, 0.02, 0.42, 184, 203, direction="unfavourable")

    assert to_common_scale(finding).g == pytest.approx(-0.22)


def test_g_from_its_ci_keeps_the_ci():
    finding = FindingData("hedges_g", 0.27, 0.11, 0.43, 318, 294, direction="favourable")

    lower, upper = to_common_scale(finding).ci

    assert (round(lower, 3), round(upper, 3)) == (0.11, 0.43)


def test_cohens_d_is_corrected_to_g():
    finding = FindingData("cohens_d", 0.34, 0.14, 0.54, 198, 205, direction="favourable")

    effect = to_common_scale(finding)

    assert effect.g == pytest.approx(0.34 * es.correction_j(198, 205))


def test_odds_ratio_from_its_ci_alone():
    finding = FindingData("odds_ratio", 1.28, 1.12, 1.46, 12560, 12370, direction="favourable")

    effect = to_common_scale(finding)

    assert effect.method == "odds_ratio_ci"
    assert effect.g == pytest.approx(math.log(1.28) * es.LOGIT_TO_D, rel=1e-3)


def test_mean_difference_from_its_ci_in_large_groups():
    # Cochrane Handbook 6.5.2.3: SD = SE / √(1/n1 + 1/n2).
    finding = FindingData("mean_difference", -2.3, -3.87, -0.73, 5840, 6112,
                          direction="favourable")

    effect = to_common_scale(finding)

    se = (3.87 - 0.73) / (2 * es.Z95)
    d = 2.3 / (se / math.sqrt(1 / 5840 + 1 / 6112))
    assert effect.g == pytest.approx(d * es.correction_j(5840, 6112))


@pytest.mark.parametrize(("finding", "reason"), [
    (FindingData("hazard_ratio", 0.72, 0.58, 0.89, 640, 1280, direction="favourable"),
     es.HAZARD_RATIO),
    (FindingData("risk_ratio", 1.17, 1.04, 1.32, 3098, 3045, direction="favourable"),
     es.NEEDS_PROPORTIONS),
    (FindingData("mean_difference", 1.1, 0.77, 1.43, 54, 40, 2.9, 1.8,
                 direction="favourable"), es.NEEDS_SDS),
    (FindingData("cohens_d", 0.31, 0.04, 0.58, 54, None, direction="favourable"),
     es.NO_COMPARISON),
    (FindingData(None, n_intervention=37, value_intervention=0.62, direction="favourable"),
     es.NO_COMPARISON),
    (FindingData("hedges_g", 0.3, direction="favourable"), es.NEEDS_PRECISION),
])
def test_a_finding_that_cannot_be_converted_says_why(finding, reason):
    effect = to_common_scale(finding)

    assert (effect.g, effect.reason) == (None, reason)


@pytest.mark.parametrize(("g", "index"), [(0.0, 0.0), (0.25, 9.87), (-0.5, -19.15),
                                          (1.0, 34.13)])
def test_improvement_index(g, index):
    assert round(es.improvement_index(g), 2) == index


def test_hedges_correction_needs_four_participants():
    # At df 1 J is 0 (every g 0, variance 0); at df 0 it is 4.
    assert es.correction_j(2, 2) == pytest.approx(1 - 3 / 7)
    with pytest.raises(ValueError):
        es.correction_j(1, 2)


@pytest.mark.parametrize("finding", [
    FindingData("odds_ratio", n_intervention=1, n_comparison=1, value_intervention=1.0,
                value_comparison=0.0),
    FindingData("mean_difference", n_intervention=2, n_comparison=1, value_intervention=10.0,
                value_comparison=5.0, sd_intervention=2.0, sd_comparison=2.0),
    FindingData("hedges_g", effect_size=0.3, ci_lower=0.3, ci_upper=0.3),
])
def test_an_effect_without_usable_precision_is_not_on_the_scale(finding):
    assert to_common_scale(finding).g is None


def test_a_no_difference_finding_on_a_measure_where_less_is_better_points_the_right_way():
    # Benefit dependence: 38% against 40% on benefits, not significant, is a slightly
    # better result; 30% against 40%, favourable, a clearly better one.
    common = {"n_intervention": 200, "n_comparison": 200, "value_comparison": 0.40,
              "lower_is_better": True}
    null = to_common_scale(FindingData("risk_ratio", value_intervention=0.38,
                                       direction="null", **common))
    favourable = to_common_scale(FindingData("risk_ratio", value_intervention=0.30,
                                             direction="favourable", **common))
    assert 0 < null.g < favourable.g


def test_without_lower_is_better_a_no_difference_finding_keeps_its_raw_sign():
    effect = to_common_scale(FindingData("risk_ratio", n_intervention=200, n_comparison=200,
                                         value_intervention=0.38, value_comparison=0.40))
    assert effect.g < 0


def test_a_reported_mean_difference_comes_before_the_raw_means():
    """WWC 5.0: the study's own (covariate-adjusted) difference over the groups' pooled
    SD; the raw means' difference (3.5) is not what the study estimated (2.0)."""
    finding = _means(effect_size=2.0, ci_lower=0.5, ci_upper=3.5, value_intervention=24.5,
                     value_comparison=21.0, sd_intervention=8.0, sd_comparison=9.0,
                     n_intervention=120, n_comparison=110)
    pooled = math.sqrt((119 * 8.0 ** 2 + 109 * 9.0 ** 2) / 228)

    effect = to_common_scale(finding)

    assert effect.g == pytest.approx(es.correction_j(120, 110) * 2.0 / pooled, rel=1e-12)
    assert effect.method == "adjusted_difference"


def test_a_reported_odds_ratio_comes_before_the_two_by_two_table():
    """A reported (adjusted) odds ratio of 2.0 gives g = J·ln 2·√3/π, not the crude
    table's 1.56 of its proportions."""
    finding = FindingData("odds_ratio", 2.0, 1.3, 3.1, 150, 150, 0.40, 0.30,
                          direction="favourable")

    effect = to_common_scale(finding)

    assert effect.g == pytest.approx(
        es.correction_j(150, 150) * math.log(2.0) * math.sqrt(3) / math.pi, rel=1e-12)
    assert effect.log_ratio == pytest.approx(math.log(2.0))
    assert effect.method == "odds_ratio_ci"
