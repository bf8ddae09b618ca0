"""Quadratic-weighted Cohen's kappa on hand-computed cases."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from registry.services.agreement import (
    LEVEL_SCALE,
    Agreement,
    describe_kappa,
    mean_pairwise_kappa,
    overall_agreement,
    pair_agreement,
    panel_agreements,
    proposals,
    round_agreement,
    weighted_kappa,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


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


def _round(round_id: int, **levels):
    """A stand-in round: reviewer id (as 'r<id>') → proposed level, all submitted."""
    assessments = [
        SimpleNamespace(reviewer_id=int(key[1:]), proposed_level=level, submitted_at=NOW)
        for key, level in levels.items()
    ]
    return SimpleNamespace(id=round_id, assessments=assessments, state="published")


ROUNDS = [
    _round(1, r1="well_founded", r2="well_founded", r3="effective_good"),
    _round(2, r1="effective_good", r2="effective_first"),
    _round(3, r1="not_recognised", r2="not_recognised", r3="effective_strong"),
]


def test_a_pair_is_measured_over_the_rounds_it_shared():
    by_pair = {p.reviewer_ids: p.agreement for p in panel_agreements(ROUNDS)}
    expected = weighted_kappa([("well_founded", "well_founded"),
                               ("effective_good", "effective_first"),
                               ("not_recognised", "not_recognised")], LEVEL_SCALE)
    assert by_pair[(1, 2)] == Agreement(pytest.approx(expected), 3)


def test_a_pair_with_one_shared_round_has_not_enough_data():
    ratings = proposals(ROUNDS[:1])
    assert pair_agreement(ratings, 1, 2) == Agreement(None, 1)


def test_a_round_counts_only_the_rounds_up_to_itself():
    ratings = proposals(ROUNDS)
    first, second = round_agreement(ROUNDS[0], ratings), round_agreement(ROUNDS[1], ratings)
    assert (first.kappa, first.rounds) == (None, 1)
    assert second.rounds == 2 and second.kappa is not None


def test_unsubmitted_proposals_do_not_count():
    draft = _round(4, r1="well_founded", r2="effective_strong")
    draft.assessments[1].submitted_at = None
    assert proposals([draft]) == {1: {4: "well_founded"}}


def test_overall_agreement_names_the_rounds_behind_it():
    assert overall_agreement(ROUNDS).rounds == 3


def test_no_rounds_is_not_enough_data():
    assert overall_agreement([]) == Agreement(None, 0)


@pytest.mark.parametrize(("kappa", "words"), [
    (None, "niet genoeg gegevens"), (-0.3, "niet beter dan toeval"),
    (0.5, "matige overeenstemming"), (0.95, "(bijna) volledige overeenstemming"),
])
def test_kappa_is_described_in_plain_words(app, kappa, words):
    with app.test_request_context("/"):
        assert describe_kappa(kappa) == words


def test_unweighted_kappa_matches_statsmodels():
    from statsmodels.stats.inter_rater import cohens_kappa

    categories = ("rct", "quasi_experimental", "pre_post", "other")
    pairs = [("rct", "rct"), ("rct", "quasi_experimental"), ("pre_post", "pre_post"),
             ("other", "pre_post"), ("quasi_experimental", "quasi_experimental"),
             ("rct", "rct"), ("other", "other"), ("quasi_experimental", "rct")]
    table = [[sum(1 for a, b in pairs if (a, b) == (x, y)) for y in categories]
             for x in categories]
    expected = cohens_kappa(table, return_results=False)
    assert weighted_kappa(pairs, categories, ordinal=False) == pytest.approx(expected)


@pytest.mark.parametrize("state", ["in_review", "withdrawn"])
def test_proposals_still_blind_to_the_panel_do_not_count(state):
    blind = _round(5, r1="well_founded", r2="effective_strong")
    blind.state = state
    discussed = _round(6, r1="well_founded", r2="effective_strong")
    discussed.state = "in_discussion"
    assert proposals([blind, discussed]) == {1: {6: "well_founded"}, 2: {6: "effective_strong"}}
