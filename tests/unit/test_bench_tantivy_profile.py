"""The tantivy peer of the profile ranking (bench/search/tantivy_profile.py) scores by the
documented rules of search_index/profile.py where a boolean query can: checked on a small
tantivy index against the rules worked out by hand."""

import math

import pytest

tantivy = pytest.importorskip("tantivy")

from bench.search.tantivy_peer import _tantivy_index  # noqa: E402
from bench.search.tantivy_profile import AGE_ORDER, PeerQuery  # noqa: E402
from search_index.profile import ClientProfile, evidence_weight, fit_floor  # noqa: E402

FACETS = ("level", "ladder_rung", "age_band", "barrier", "target_group")
DOCUMENTS = [  # id, level, rungs, age bands, barriers, target groups
    (1, "effective_good", "2 3", "under_27", "debt", "newcomers"),
    (2, "not_assessed", "5", "55_plus", "debt", ""),
    (3, "well_described", "2", "under_27", "language", "wajong"),
    (4, "not_assessed", "1 2", "", "", ""),
    (5, "not_assessed", "6", "45_54", "autism", ""),
]


@pytest.fixture(scope="module")
def peer(tmp_path_factory):
    documents = [{"id": str(i), "text": "werk", "title_prefix": "", "level": level,
                  "ladder_rung": rungs, "age_band": ages, "barrier": barriers,
                  "target_group": groups}
                 for i, level, rungs, ages, barriers, groups in DOCUMENTS]
    index = _tantivy_index(documents, FACETS, str(tmp_path_factory.mktemp("tantivy")))
    values = {"barrier": ["autism", "debt", "language"],
              "target_group": ["newcomers", "wajong"]}
    return PeerQuery(index, index.searcher(), values)


def scores(peer: PeerQuery, profile: ClientProfile) -> dict[int, float]:
    found = peer.searcher.search(peer.query(profile), 10)
    return {peer.searcher.doc(address)["id"][0]: score for score, address in found.hits}


def test_the_peer_scores_fit_evidence_rung_age_and_barriers_by_the_rules(peer):
    profile = ClientProfile(rung=2, age_band="under_27", barriers=["debt"], age_order=AGE_ORDER)
    found = scores(peer, profile)

    def weight(named: int) -> float:  # specificity: n of the 5 documents name it
        return math.log(1 + 5 / (1 + named))

    total = max(weight(3) + weight(2) + weight(2), fit_floor(5))
    evidence = evidence_weight(True, False)
    focus_other = weight(1) ** 2  # newcomers, named by document 1 only
    focus_own = weight(2) ** 2
    assert found[1] == pytest.approx(
        10 * (weight(3) + weight(2) + weight(2)) / total + evidence * 4 / 5
        - 5 * focus_other / (focus_other + focus_own))
    # Rung 5 is three rungs away (1 + 2 + 2), 55_plus is far from under_27 (3).
    assert found[2] == pytest.approx(10 * weight(2) / total - 5 - 3)
    # Made for another barrier (language) and another group (wajong): both penalties.
    assert found[3] == pytest.approx(10 * (weight(3) + weight(2)) / total + evidence * 1 / 5
                                     - 5 - 3)
    assert found[4] == pytest.approx(10 * weight(3) / total)
    assert 5 not in found  # fits nothing of the profile: not a result
