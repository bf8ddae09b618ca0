"""Agreement between reviewers: quadratic-weighted Cohen's kappa, in pure Python.

kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), with w_ij = (i - j)^2 / (k - 1)^2,
O the observed and E the chance-expected (from the marginals) proportions.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

# Ordinal scale of proposed levels, weakest first.
LEVEL_SCALE = (
    "not_recognised",
    "well_described",
    "well_founded",
    "effective_first",
    "effective_good",
    "effective_strong",
)
SCORE_SCALE = (1, 2, 3, 4)


def weighted_kappa(pairs: Sequence[tuple], categories: Sequence) -> float | None:
    """Quadratic-weighted kappa of two raters over `pairs` of (rating_a, rating_b).

    None when undefined: no pairs, or both raters used one and the same category only
    (no variation, so chance agreement is total).
    """
    k = len(categories)
    if not pairs or k < 2:
        return None
    index = {c: i for i, c in enumerate(categories)}
    n = len(pairs)
    observed = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        observed[index[a]][index[b]] += 1 / n
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]

    def weight(i: int, j: int) -> float:
        return (i - j) ** 2 / (k - 1) ** 2

    disagreement = sum(weight(i, j) * observed[i][j] for i in range(k) for j in range(k))
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    if expected == 0:
        # Both raters used one and the same category throughout: kappa is undefined.
        return None
    return 1 - disagreement / expected


def mean_pairwise_kappa(ratings: dict[int, dict], categories: Sequence) -> float | None:
    """Mean kappa over every pair of raters, over the items both rated.
    `ratings`: rater id → {item: category}."""
    values = []
    for a, b in combinations(sorted(ratings), 2):
        common = sorted(set(ratings[a]) & set(ratings[b]))
        kappa = weighted_kappa([(ratings[a][i], ratings[b][i]) for i in common], categories)
        if kappa is not None:
            values.append(kappa)
    return sum(values) / len(values) if values else None


def round_agreement(round_) -> float | None:
    """Per round: kappa over the criterion scores (1–4) of the submitted assessments."""
    ratings = {
        a.reviewer_id: a.score_map() for a in round_.assessments if a.submitted_at is not None
    }
    return mean_pairwise_kappa(ratings, SCORE_SCALE)


def panel_agreement(rounds) -> float | None:
    """Over time: kappa over the proposed levels, each round one item, per reviewer pair."""
    ratings: dict[int, dict] = {}
    for round_ in rounds:
        for a in round_.assessments:
            if a.submitted_at is not None and a.proposed_level in LEVEL_SCALE:
                ratings.setdefault(a.reviewer_id, {})[round_.id] = a.proposed_level
    return mean_pairwise_kappa(ratings, LEVEL_SCALE)

