"""The tantivy peer of the profile ranking (bench/search/tantivy_profile.py) scores by the
documented rules of search_index/profile.py where a boolean query can: checked on a small
tantivy index against the rules worked out by hand."""

import math

import pytest

tantivy = pytest.importorskip("tantivy")

from bench.search.tantivy_peer import _tantivy_index  # noqa: E402
from bench.search.tantivy_profile import AGE_ORDER, PeerQuery, goal_words  # noqa: E402
from search_index.profile import ClientProfile, evidence_weight, fit_floor  # noqa: E402

FACETS = ("level", "ladder_rung", "age_band", "barrier", "target_group")
DOCUMENTS = [  # id, level, rungs, age bands, barriers, target groups, text
    (1, "effective_good", "2 3", "under_27", "debt", "newcomers", "schuld"),
    (2, "not_assessed", "5", "55_plus", "debt", "", "werk"),
    (3, "well_described", "2", "under_27", "language", "wajong", "werk"),
    (4, "not_assessed", "1 2", "", "", "", "werk"),
    (5, "not_assessed", "6", "45_54", "autism", "", "werk"),
    (6, "not_assessed", "2", "under_27", "debt autism language", "newcomers wajong", "werk"),
]
VALUES = {"barrier": ["autism", "debt", "language"], "target_group": ["newcomers", "wajong"]}


@pytest.fixture(scope="module")
def peer(tmp_path_factory):
    documents = [{"id": str(i), "text": text, "title_prefix": "", "level": level,
                  "ladder_rung": rungs, "age_band": ages, "barrier": barriers,
                  "target_group": groups}
                 for i, level, rungs, ages, barriers, groups, text in DOCUMENTS]
    index = _tantivy_index(documents, FACETS, str(tmp_path_factory.mktemp("tantivy")))
    return PeerQuery(index, index.searcher(), VALUES)


def scores(peer: PeerQuery, profile: ClientProfile) -> dict[int, float]:
    found = peer.searcher.search(peer.query(profile), 10)
    return {peer.searcher.doc(address)["id"][0]: score for score, address in found.hits}


def weight(facet: str, value: str) -> float:
    """specificity(): log(1 + N / (1 + n)), n of the N documents naming the value."""
    column = 1 + FACETS.index(facet)
    named = sum(value in document[column].split() for document in DOCUMENTS)
    return math.log(1 + len(DOCUMENTS) / (1 + named))


def test_the_peer_scores_fit_evidence_rung_age_and_barriers_by_the_rules(peer):
    profile = ClientProfile(rung=2, age_band="under_27", barriers=["debt"], age_order=AGE_ORDER)
    found = scores(peer, profile)

    rung, age, debt = (weight("ladder_rung", "2"), weight("age_band", "under_27"),
                       weight("barrier", "debt"))
    total = max(rung + age + debt, fit_floor(len(DOCUMENTS)))
    evidence = evidence_weight(True, False)
    others = {(f, v): weight(f, v) ** 2 for f, values in VALUES.items() for v in values
              if v != "debt"}
    divisor = sum(others.values()) + debt ** 2
    assert found[1] == pytest.approx(
        10 * (rung + age + debt) / total + evidence * 4 / 5
        - 5 * others[("target_group", "newcomers")] / divisor)
    # Rung 5 is three rungs away (1 + 2 + 2), 55_plus is far from under_27 (3).
    assert found[2] == pytest.approx(10 * debt / total - 5 - 3)
    # Made for another barrier (language) and another group (wajong): both penalties.
    assert found[3] == pytest.approx(10 * (rung + age) / total + evidence * 1 / 5 - 5 - 3)
    assert found[4] == pytest.approx(10 * rung / total)
    assert 5 not in found  # fits nothing of the profile: not a result
    # Also made for four other groups and barriers: less than the whole focus penalty, so
    # above a document made for other groups only, as in ours.
    assert found[6] == pytest.approx(10 * (rung + age + debt) / total - 5 * (
        sum(others.values()) / divisor))
    assert found[6] > found[3]


def test_the_goal_counts_the_words_the_analysis_keeps(peer):
    assert goal_words("de schuld en het werk:") == ["schuld", "werk"]
    profile = ClientProfile(goal="de schuld")  # one word: a match has all of the share
    found = scores(peer, profile)

    assert max(found.values()) == pytest.approx(4.0 + evidence_weight(False, True) * 4 / 5)
    assert set(scores(peer, ClientProfile(goal="werk: (schuld"))) == {1, 2, 3, 4, 5, 6}
