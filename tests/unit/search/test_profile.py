"""Profile ranking: hand-built cases whose right order a person can check."""

import pytest

from search_index.profile import score
from tests.factories import make_intervention

CLIENT = {"rung": 2, "age_band": "55_plus", "barriers": ["debt", "language"]}


def test_score_rewards_fit_then_evidence_and_punishes_mismatch():
    full_fit_no_evidence = score(fit=3, given=3, level_rank=0, text=0.0, mismatches=0)
    partial_fit_strong = score(fit=2, given=3, level_rank=6, text=0.0, mismatches=0)
    full_fit_mismatch = score(fit=3, given=3, level_rank=6, text=0.0, mismatches=1)
    assert full_fit_no_evidence == 10.0
    assert partial_fit_strong == pytest.approx(10 * 2 / 3 + 3)
    assert full_fit_mismatch == pytest.approx(10 + 3 - 8)


@pytest.fixture
def ranked(index):
    # Fits rung 2, debt and language, and names no age: every characteristic but age.
    make_intervention(
        title="Alles past", ladder_rung_min=1, ladder_rung_max=3,
        tags={"barrier": ["debt", "language"]},
    )
    # Same fit with strong evidence: ranks first.
    make_intervention(
        title="Alles past en bewezen", ladder_rung_min=1, ladder_rung_max=3,
        outcome="effective_strong", tags={"barrier": ["debt", "language"]},
    )
    # Only debt fits.
    make_intervention(
        title="Alleen schulden", ladder_rung_min=2, ladder_rung_max=2, tags={"barrier": ["debt"]}
    )
    # Fits everything but is for young people only: a hard mismatch on age.
    make_intervention(
        title="Alleen jongeren", ladder_rung_min=1, ladder_rung_max=4,
        tags={"barrier": ["debt", "language"], "age_band": ["under_27"]},
    )
    # Addresses nothing of this client: left out.
    make_intervention(title="Niets", ladder_rung_min=5, ladder_rung_max=6)
    index.sync()
    return index


def titles(index, result):
    from registry.extensions import db
    from registry.models import Intervention

    return [db.session.get(Intervention, h.intervention_id).title for h in result.hits]


def test_profile_order(ranked):
    result = ranked.profile(**CLIENT)
    assert titles(ranked, result) == [
        "Alles past en bewezen",
        "Alles past",
        "Alleen schulden",
        "Alleen jongeren",
    ]


def test_explanation_names_fits_and_hard_mismatches(ranked):
    result = ranked.profile(**CLIENT)
    young = result.hits[-1]
    assert young.fits == [("ladder_rung", "2"), ("barrier", "debt"), ("barrier", "language")]
    assert young.mismatches == [("age_band", "55_plus")]


def test_unaddressed_characteristics_are_listed(ranked):
    result = ranked.profile(**CLIENT)
    debt_only = result.hits[2]
    assert debt_only.unaddressed == [("age_band", "55_plus"), ("barrier", "language")]


def test_goal_text_lifts_a_matching_intervention(index):
    make_intervention(title="Fietsen naar werk", tags={"barrier": ["mobility"]})
    make_intervention(title="Vervoer regelen", tags={"barrier": ["mobility"]})
    index.sync()
    result = index.profile(barriers=["mobility"], goal="fietsen")
    assert titles(index, result)[0] == "Fietsen naar werk"


def test_rung_outside_range_is_a_hard_mismatch(index):
    make_intervention(title="Hoog op de ladder", ladder_rung_min=5, ladder_rung_max=6,
                      tags={"barrier": ["debt"]})
    index.sync()
    hit = index.profile(rung=2, barriers=["debt"]).hits[0]
    assert hit.mismatches == [("ladder_rung", "2")]
