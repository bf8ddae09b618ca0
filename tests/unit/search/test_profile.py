"""Profile ranking: hand-built cases whose right order a person can check."""

import pytest

from search_index import searchers
from search_index.profile import (
    ClientProfile,
    evidence_points,
    evidence_weight,
    fit_floor,
    run_profile,
    rung_narrowness,
    rung_penalty,
    score,
    specificity,
)
from tests.factories import make_intervention

CLIENT = {"rung": 2, "age_band": "55_plus", "barriers": ["debt", "language"]}


def test_a_full_fit_without_evidence_beats_a_partial_fit_with_the_strongest():
    full_fit = score(fit=1.0, text=0.0, level_rank=0, rung_distance=0, age_penalty=0.0)
    partial_strong = score(fit=2 / 3, text=0.0, level_rank=6, rung_distance=0, age_penalty=0.0)
    assert full_fit > partial_strong


def test_evidence_orders_equal_fits():
    assert score(0.8, 0.0, 6, 0, 0.0) - score(0.8, 0.0, 2, 0, 0.0) == pytest.approx(1.2)


def test_evidence_weighs_in_proportion_to_the_part_of_the_score_the_profile_reaches():
    # A goal alone reaches the text's 4 of 10 + 4 points: evidence weighs 4/14 as much.
    assert evidence_weight(False, True) == pytest.approx(evidence_weight() * 4 / 14)
    assert evidence_weight(True, False) == pytest.approx(evidence_weight() * 10 / 14)
    assert evidence_weight(False, False) == evidence_weight() == 1.5


def test_with_a_goal_alone_evidence_does_not_overrule_a_clearly_better_match(index):
    # Both match the goal; the first matches all four words, the second three, with the
    # strongest evidence: 1.5 points of evidence would outweigh that difference in text.
    make_intervention(title="Heftruck lassen timmeren schilderen",
                      summary="Heftruck, lassen, timmeren en schilderen.")
    make_intervention(title="Heftruck lassen timmeren", outcome="effective_strong",
                      summary="Heftruck, lassen en timmeren.")
    make_intervention(title="Schilderen", summary="Schilderen en behangen.")
    make_intervention(title="Iets anders", summary="Taal leren in een klas.")
    index.sync()
    result = index.profile(goal="heftruck lassen timmeren schilderen")
    assert titles(index, result)[:2] == ["Heftruck lassen timmeren schilderen",
                                         "Heftruck lassen timmeren"]


@pytest.mark.parametrize(("rank", "points"), [
    (-2, 0.0), (-1, 0.0), (0, 0.0), (1, 0.1), (2, 0.2), (4, 0.6), (6, 1.0)])
def test_evidence_points_per_status_rank(rank, points):
    assert evidence_points(rank) == pytest.approx(points)


def test_the_rung_penalty_grows_with_the_distance_and_stops_at_three_rungs():
    # One step away still suits (1), each further step costs 2, at most three counted.
    assert [float(rung_penalty(d)) for d in range(6)] == [0.0, 1.0, 3.0, 5.0, 5.0, 5.0]


def test_a_profile_of_broad_characteristics_cannot_fit_fully():
    assert fit_floor(live=1000) == pytest.approx(2 * specificity(100, 1000))


def test_a_rarer_characteristic_weighs_more():
    assert specificity(named=2, live=100) > specificity(named=50, live=100) > specificity(
        named=100, live=100) > 0


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


def test_one_rung_outside_ranks_above_three_rungs_outside(index):
    make_intervention(title="Net erboven", ladder_rung_min=3, ladder_rung_max=4,
                      tags={"barrier": ["debt"]})
    make_intervention(title="Ver erboven", ladder_rung_min=5, ladder_rung_max=6,
                      tags={"barrier": ["debt"]})
    index.sync()
    assert titles(index, index.profile(rung=2, barriers=["debt"])) == [
        "Net erboven", "Ver erboven"]


def test_the_rare_characteristic_decides_over_a_common_one(index):
    for number in range(4):  # the Participatiewet: nearly every intervention names it
        make_intervention(title=f"Breed {number}", tags={"domain": ["participatiewet"]})
    make_intervention(title="Verslaving", tags={"barrier": ["addiction"]})
    index.sync()
    result = index.profile(barriers=["addiction"], domains=["participatiewet"])
    assert titles(index, result)[0] == "Verslaving"


def test_an_age_band_next_to_the_clients_costs_less_than_a_far_one(index):
    make_intervention(title="Middelbaar", tags={"barrier": ["debt"], "age_band": ["45_54"]})
    make_intervention(title="Jong", tags={"barrier": ["debt"], "age_band": ["under_27"]})
    index.sync()
    result = index.profile(age_band="55_plus", barriers=["debt"],
                           age_order=("under_27", "27_44", "45_54", "55_plus"))
    assert titles(index, result) == ["Middelbaar", "Jong"]


def test_a_goal_sentence_finds_an_intervention_that_has_only_some_of_its_words(index):
    make_intervention(title="Werkervaring in het groen", tags={"barrier": ["language"]})
    index.sync()
    result = index.profile(goal="werkervaring opdoen en schulden aanpakken")
    assert (titles(index, result), result.hits[0].goal_matched) == (
        ["Werkervaring in het groen"], True)


def test_more_of_the_goals_words_rank_higher(index):
    make_intervention(title="Schulden", summary="Hulp bij schulden.")
    make_intervention(title="Schulden en werkervaring",
                      summary="Hulp bij schulden en werkervaring opdoen.")
    index.sync()
    result = index.profile(goal="werkervaring opdoen en schulden aanpakken")
    assert titles(index, result)[0] == "Schulden en werkervaring"


def test_a_penalised_result_drops_and_the_next_one_is_asked_about(index):
    first = make_intervention(title="Schulden A", tags={"barrier": ["debt"]})
    for name in ("B", "C"):
        make_intervention(title=f"Schulden {name}", tags={"barrier": ["debt"]})
    index.sync()
    asked: list[list[int]] = []

    def penalties(ids):
        asked.append(ids)
        return {first.id: 5.0}

    searcher, view = searchers.acquire(index.root)
    result = run_profile(searcher, view, ClientProfile(barriers=["debt"]), per_page=2,
                         penalties=penalties)
    assert titles(index, result) == ["Schulden B", "Schulden C"]
    assert len(asked) == 2 and len(asked[1]) == 1  # C was asked about once it came in


def test_among_broad_fits_the_goal_decides(index):
    for number in range(5):  # rung and age band: what nearly every intervention names
        make_intervention(title=f"Breed {number}", ladder_rung_min=1, ladder_rung_max=6,
                          tags={"age_band": ["55_plus"]})
    make_intervention(title="Digitaal solliciteren", ladder_rung_min=1, ladder_rung_max=6,
                      summary="Oefenen met digitaal solliciteren.")
    index.sync()
    result = index.profile(rung=3, age_band="55_plus", goal="digitaal solliciteren")
    assert titles(index, result)[0] == "Digitaal solliciteren"


def test_an_intervention_made_for_another_group_ranks_below_one_made_for_this_client(index):
    make_intervention(title="Schulden en psychische klachten", outcome="effective_strong",
                      tags={"barrier": ["debt", "mental_health"]})
    make_intervention(title="Schulden", tags={"barrier": ["debt"]})
    make_intervention(title="Psychische klachten", tags={"barrier": ["mental_health"]})
    index.sync()
    result = index.profile(barriers=["debt"])
    assert titles(index, result) == ["Schulden", "Schulden en psychische klachten"]


def test_a_group_the_client_belongs_to_by_age_is_not_held_against_a_focus(index):
    # Both are made for debt; one also for the over-55s, whom a client of 55 or older
    # belongs to without naming the group: it is as much made for this client.
    make_intervention(title="Schulden", tags={"barrier": ["debt"]})
    make_intervention(title="Schulden 55-plus",
                      tags={"barrier": ["debt"], "target_group": ["over_55"]})
    make_intervention(title="Schulden alleenstaande ouders",
                      tags={"barrier": ["debt"], "target_group": ["single_parents"]})
    index.sync()
    older = index.profile(barriers=["debt"], implied_focus=(("target_group", "over_55"),))
    anyone = index.profile(barriers=["debt"])
    scores = {title: hit.score for title, hit in zip(titles(index, older), older.hits,
                                                     strict=True)}
    assert scores["Schulden 55-plus"] == pytest.approx(scores["Schulden"])
    assert scores["Schulden alleenstaande ouders"] < scores["Schulden"]
    assert titles(index, anyone)[0] == "Schulden"
    assert anyone.hits[1].score < anyone.hits[0].score


def test_without_target_groups_or_barriers_nothing_is_held_against_a_focus(index):
    make_intervention(title="Verslaving", tags={"barrier": ["addiction"]},
                      ladder_rung_min=2, ladder_rung_max=3)
    make_intervention(title="Breed", ladder_rung_min=2, ladder_rung_max=3)
    index.sync()
    result = index.profile(rung=2)
    assert [h.score for h in result.hits] == [result.hits[0].score] * 2


def test_without_an_age_an_intervention_for_one_age_band_ranks_below_one_for_all(index):
    make_intervention(title="Alleen jongeren", tags={"barrier": ["debt"], "age_band": ["under_27"]})
    make_intervention(title="Zonder leeftijd", tags={"barrier": ["debt"]})
    make_intervention(title="Twee leeftijden",
                      tags={"barrier": ["debt"], "age_band": ["under_27", "27_44"]})
    index.sync()
    result = index.profile(barriers=["debt"])
    assert titles(index, result) == ["Twee leeftijden", "Zonder leeftijd", "Alleen jongeren"]
    young = result.hits[-1]
    # Not a mismatch (the client's age is not known), but said in the explanation.
    assert (young.mismatches, young.only_age_band) == ([], "under_27")
    assert [hit.only_age_band for hit in result.hits[:2]] == [None, None]


def test_with_an_age_the_one_band_note_is_not_given(index):
    make_intervention(title="Alleen jongeren", tags={"barrier": ["debt"], "age_band": ["under_27"]})
    index.sync()
    hit = index.profile(barriers=["debt"], age_band="under_27").hits[0]
    assert (hit.only_age_band, hit.mismatches) == (None, [])


def test_a_rung_fit_counts_less_the_wider_the_range():
    assert [float(rung_narrowness(named, rungs=6)) for named in (1, 2, 6)] == pytest.approx(
        [1.0, 0.85, 0.25])


def test_a_range_made_for_the_clients_rung_beats_one_spanning_the_ladder(index):
    # "Aaa breed" would come first on a tie (titles order ties).
    make_intervention(title="Aaa breed", ladder_rung_min=1, ladder_rung_max=6,
                      tags={"barrier": ["debt"]})
    make_intervention(title="Smal", ladder_rung_min=3, ladder_rung_max=3,
                      tags={"barrier": ["debt"]})
    index.sync()
    assert titles(index, index.profile(rung=3, barriers=["debt"])) == ["Smal", "Aaa breed"]


def test_a_rare_group_the_client_lacks_weighs_more_than_two_common_ones(index):
    # Both address the client's debt. "Aaa" also names language and housing, each named
    # by five of the ten interventions; "Zzz" names addiction, which only it names.
    # Weighed by specificity alone the two common ones would outweigh the rare one
    # (2 x 0.98 > 1.79); by its square the rare one decides: Zzz is made for others.
    make_intervention(title="Aaa ook breed", tags={"barrier": ["debt", "language", "housing"]})
    make_intervention(title="Zzz voor verslaafden", tags={"barrier": ["debt", "addiction"]})
    for number in range(4):
        make_intervention(title=f"Taal en wonen {number}",
                          tags={"barrier": ["language", "housing"]})
        make_intervention(title=f"Vervoer {number}", tags={"barrier": ["mobility"]})
    index.sync()
    assert titles(index, index.profile(barriers=["debt"])) == [
        "Aaa ook breed", "Zzz voor verslaafden"]


@pytest.mark.parametrize(("age_band", "implied"), [
    ("55_plus", (("target_group", "over_55"),)), ("45_54", ()), (None, ())])
def test_the_registry_counts_a_client_of_55_or_older_among_the_over_55s(age_band, implied):
    from registry.search.service import _widened

    assert _widened(ClientProfile(age_band=age_band)).implied_focus == implied


def test_a_weight_added_to_a_values_documents_or_over_all_gives_the_same_ranking(
        index, monkeypatch):
    # add_weight adds a rare value's weight to its documents alone and a common one's
    # over the whole catalogue: forced one way and then the other, the same floats.
    from registry.demo.generator import generate
    from search_index import profile_weights as module
    from search_index.profile import ClientProfile, run_profile

    generate(80)
    index.sync()
    searcher, view = searchers.acquire(index.root)
    profiles = [
        ClientProfile(rung=2, barriers=["debt", "language"], goal="werk"),
        ClientProfile(rung=5, age_band="55_plus", target_groups=["ww"]),
        ClientProfile(barriers=["mental_health"], support_need="high", goal="begeleiding"),
    ]
    found = []
    for share in (0, 10**9):
        monkeypatch.setattr(module, "SPARSE_VALUE_SHARE", share)
        found.append([[(h.intervention_id, h.score) for h in run_profile(
            searcher, view, profile).hits] for profile in profiles])
    assert found[0] == found[1] and all(found[0])


@pytest.mark.parametrize("penalty", [0.0, 3.0])
def test_an_intervention_made_for_other_barriers_loses_the_barrier_penalty(
        index, monkeypatch, penalty):
    # The client's barrier is debt: one made for anxiety is made for another problem; one
    # naming debt among others, or no barrier at all, is not.
    from search_index import profile_penalties as module

    make_intervention(title="Angst", tags={"barrier": ["mental_health"], "target_group": ["ww"]})
    make_intervention(title="Schulden en angst",
                      tags={"barrier": ["debt", "mental_health"], "target_group": ["ww"]})
    make_intervention(title="Zonder belemmering", tags={"target_group": ["ww"]})
    index.sync()
    client = {"barriers": ["debt"], "target_groups": ["ww"]}
    monkeypatch.setattr(module, "BARRIER_MISMATCH_PENALTY", 0.0)
    before = dict(zip(titles(index, index.profile(**client)),
                      index.profile(**client).hits, strict=True))
    monkeypatch.setattr(module, "BARRIER_MISMATCH_PENALTY", penalty)
    after = dict(zip(titles(index, index.profile(**client)),
                     index.profile(**client).hits, strict=True))
    assert {title: round(before[title].score - hit.score, 3) for title, hit in after.items()} \
        == {"Angst": penalty, "Schulden en angst": 0.0, "Zonder belemmering": 0.0}
    assert {title: hit.other_barriers for title, hit in after.items()} == {
        "Angst": ["mental_health"], "Schulden en angst": [], "Zonder belemmering": []}


def test_without_barriers_no_intervention_is_held_back_for_its_own(index, monkeypatch):
    from search_index import profile_penalties as module

    make_intervention(title="Angst", tags={"barrier": ["mental_health"], "target_group": ["ww"]})
    make_intervention(title="Zonder belemmering", tags={"target_group": ["ww"]})
    index.sync()
    scores = []
    for penalty in (0.0, 3.0):
        monkeypatch.setattr(module, "BARRIER_MISMATCH_PENALTY", penalty)
        result = index.profile(target_groups=["ww"])
        scores.append([(h.intervention_id, h.score, h.other_barriers) for h in result.hits])
    assert scores[0] == scores[1] and all(not barriers for *_, barriers in scores[0])
