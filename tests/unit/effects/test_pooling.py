"""Random-effects pooling against metafor's printed results for dat.bcg (the BCG vaccine
trials; Colditz et al. 1994), as in metafor's documentation of rma()."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.stats.meta_analysis as sm_meta
from hypothesis import given
from hypothesis import strategies as st

from registry.effects.pooling import DL, REML, dersimonian_laird, pool

# tpos, tneg, cpos, cneg of the 13 trials.
BCG = [(4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
       (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619),
       (505, 87886, 499, 87892), (29, 7470, 45, 7232), (17, 1699, 65, 1600),
       (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825)]


def _log_risk_ratios():
    effects = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG]
    variances = [1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d in BCG]
    return effects, variances


def test_reml_reproduces_metafor_on_the_bcg_trials():
    # rma(ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg, measure="RR"):
    # tau^2 0.3132, I^2 92.22%, Q(df = 12) = 152.2330, estimate -0.7145, se 0.1798,
    # ci.lb -1.0669, ci.ub -0.3622.
    result = pool(*_log_risk_ratios())

    assert result.method == REML
    assert round(result.tau2, 4) == 0.3132
    assert round(result.i2, 2) == 92.22
    assert round(result.q, 4) == 152.2330
    assert (round(result.estimate, 4), round(result.se, 4)) == (-0.7145, 0.1798)
    assert (round(result.ci_lower, 4), round(result.ci_upper, 4)) == (-1.0669, -0.3622)
    assert result.k == 13


def test_dersimonian_laird_reproduces_metafor_on_the_bcg_trials():
    # rma(..., method="DL"): tau^2 0.3088.
    assert round(dersimonian_laird(*_log_risk_ratios()), 4) == 0.3088


_EFFECT = st.integers(-2000, 2000).map(lambda x: x / 1000)
_VARIANCE = st.integers(1, 1000).map(lambda x: x / 1000)


@given(st.lists(st.tuples(_EFFECT, _VARIANCE), min_size=2, max_size=30))
def test_dersimonian_laird_agrees_with_statsmodels(rows):
    effects, variances = [r[0] for r in rows], [r[1] for r in rows]

    with np.errstate(divide="ignore", invalid="ignore"):
        expected = sm_meta.combine_effects(np.array(effects), np.array(variances),
                                           method_re="chi2")

    # statsmodels leaves a negative moment estimate unclamped.
    assert dersimonian_laird(effects, variances) == pytest.approx(max(0.0, expected.tau2),
                                                                  abs=1e-9)


def test_homogeneous_effects_have_no_heterogeneity():
    result = pool([0.2, 0.2, 0.2], [0.01, 0.02, 0.04])

    assert (result.tau2, result.i2, result.estimate) == (0.0, 0.0, pytest.approx(0.2))


def test_reml_that_does_not_converge_falls_back_to_dersimonian_laird(monkeypatch):
    monkeypatch.setattr("registry.effects.pooling.MAX_STEPS", 0)

    result = pool(*_log_risk_ratios())

    assert result.method == DL
    assert round(result.tau2, 4) == 0.3088


@pytest.mark.parametrize(("effects", "variances"), [
    ([0.1], [0.01]), ([0.1, 0.2], [0.01, 0.0]), ([0.1, 0.2], [0.01, -1.0]),
    ([0.1, 0.2], [0.01]), ([0.1, 0.2], [0.01, math.inf]),
])
def test_pooling_refuses_what_it_cannot_pool(effects, variances):
    with pytest.raises(ValueError):
        pool(effects, variances)


def test_a_study_with_a_huge_interval_beside_a_precise_one_pools_instead_of_crashing():
    # A raw euro difference entered as g: 1500 (-3000 to 6000) beside 0.3 (0.1 to 0.5).
    # tr P² rounded to zero and the intervention's page answered 500.
    precise = ((0.5 - 0.1) / (2 * 1.96)) ** 2
    huge = ((6000 + 3000) / (2 * 1.96)) ** 2

    result = pool([0.3, 1500.0], [precise, huge])

    assert result.tau2 == 0
    assert abs(result.estimate - 0.3) < 0.01
    assert math.isfinite(result.se)


def test_dersimonian_laird_is_zero_where_its_denominator_rounds_away():
    assert dersimonian_laird([0.3, 5e6], [1e-4, 1e17]) == 0.0


def test_reml_converges_where_its_steps_oscillate_as_metafor_does():
    # With a threshold of 1e-10 Fisher scoring never settled here and the pooling fell
    # back to DerSimonian-Laird (tau² 0.032); metafor's 1e-5 reaches REML's 0.050.
    effects = [0.5375, 0.0764, 0.2218, -0.0438, 0.4693]
    variances = [0.0248, 0.17776, 0.20453, 0.04074, 0.28713]

    result = pool(effects, variances)

    assert result.method == REML
    assert result.tau2 == pytest.approx(0.0499, abs=1e-3)
    assert result.estimate == pytest.approx(0.2608, abs=1e-3)
