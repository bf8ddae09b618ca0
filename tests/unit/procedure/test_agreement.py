"""Quadratic-weighted Cohen's kappa on hand-computed cases."""

import pytest

from registry.services.agreement import LEVEL_SCALE, mean_pairwise_kappa, weighted_kappa


def test_kappa_of_a_hand_computed_case():
    # Observed off-diagonal weight 0.0625, expected 0.3125 (worked out by hand): 1 - 0.2.
    pairs = [(1, 1), (2, 2), (3, 3), (1, 2)]
    assert weighted_kappa(pairs, (1, 2, 3)) == pytest.approx(0.8)


def test_kappa_of_complete_disagreement_at_the_extremes_is_minus_one():
    assert weighted_kappa([(1, 3), (3, 1)], (1, 2, 3)) == pytest.approx(-1.0)


def test_kappa_of_perfect_agreement_is_one():
    assert weighted_kappa([(1, 1), (2, 2), (4, 4)], (1, 2, 3, 4)) == pytest.approx(1.0)


def test_kappa_is_undefined_when_both_raters_use_one_category():
    assert weighted_kappa([(2, 2), (2, 2)], (1, 2, 3)) is None


def test_kappa_is_undefined_without_pairs():
    assert weighted_kappa([], (1, 2, 3)) is None


def test_a_near_miss_weighs_less_than_a_far_miss():
    near = weighted_kappa([(1, 1), (2, 2), (3, 3), (4, 3)], (1, 2, 3, 4))
    far = weighted_kappa([(1, 1), (2, 2), (3, 3), (4, 1)], (1, 2, 3, 4))
    assert near > far


def test_mean_pairwise_kappa_uses_the_items_both_rated():
    ratings = {
        1: {"r1": "well_founded", "r2": "effective_good", "r3": "effective_first"},
        2: {"r1": "well_founded", "r2": "effective_good", "r4": "not_recognised"},
    }
    assert mean_pairwise_kappa(ratings, LEVEL_SCALE) == pytest.approx(1.0)
