"""Agreement between reviewers: quadratic-weighted Cohen's kappa over the levels they
proposed, in pure Python.

kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), with w_ij = (i - j)^2 / (k - 1)^2,
O the observed and E the chance-expected (from the marginals) proportions.

Cohen's kappa compares two raters over many items. One round gives each reviewer one
proposal, so one item: on its own it says nothing. The items are therefore the rounds a
pair of reviewers judged together; a pair's kappa rests on the rounds they shared, and a
round's figure is the mean over its pairs of what they shared up to and including it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from flask_babel import gettext as _
from sqlalchemy import select

from registry.effects.appraisal import CRITERIA, ORDINAL_CRITERIA, categories
from registry.extensions import db
from registry.models import AssessmentRound
from registry.services.appraisal import answers_of

# Ordinal scale of proposed levels, weakest first.
LEVEL_SCALE = (
    "not_recognised",
    "well_described",
    "well_founded",
    "effective_first",
    "effective_good",
    "effective_strong",
)
# Fewer shared rounds than this give no kappa ("niet genoeg gegevens"): with one round,
# kappa is 0 or undefined whatever the reviewers proposed.
MIN_ROUNDS = 2


def weighted_kappa(pairs: Sequence[tuple], categories: Sequence,
                   ordinal: bool = True) -> float | None:
    """Quadratic-weighted kappa of two raters over `pairs` of (rating_a, rating_b); with
    ordinal=False Cohen's unweighted kappa (every disagreement weighs the same), for
    categories without an order.

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
        if not ordinal:
            return float(i != j)
        return (i - j) ** 2 / (k - 1) ** 2

    disagreement = sum(weight(i, j) * observed[i][j] for i in range(k) for j in range(k))
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    if expected == 0:
        # Both raters used one and the same category throughout: kappa is undefined.
        return None
    return 1 - disagreement / expected


def mean_pairwise_kappa(ratings: dict[int, dict], categories: Sequence,
                        ordinal: bool = True) -> float | None:
    """Mean kappa over every pair of raters, over the items both rated.
    `ratings`: rater id → {item: category}."""
    values = []
    for a, b in combinations(sorted(ratings), 2):
        common = sorted(set(ratings[a]) & set(ratings[b]))
        kappa = weighted_kappa([(ratings[a][i], ratings[b][i]) for i in common], categories,
                               ordinal)
        if kappa is not None:
            values.append(kappa)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Agreement:
    """A kappa (None: not enough data) and the number of rounds it rests on."""

    kappa: float | None
    rounds: int


@dataclass(frozen=True)
class PairAgreement:
    reviewer_ids: tuple[int, int]
    agreement: Agreement


def all_rounds() -> list:
    """Every assessment round, oldest first: agreement is measured over all of them."""
    return list(db.session.scalars(select(AssessmentRound).order_by(AssessmentRound.id)))


# Assessments are blind until the discussion opens, and a round withdrawn may never have
# reached it: no figure includes them, or a secretary who sits on a panel could read the
# others' proposals from how the agreement moved.
BLIND_STATES = frozenset({"draft", "submitted", "screening", "returned", "in_review",
                          "withdrawn"})


def _discussed(rounds: Iterable) -> list:
    return [round_ for round_ in rounds if round_.state not in BLIND_STATES]


def proposals(rounds: Iterable) -> dict[int, dict[int, str]]:
    """Reviewer id → {round id: proposed level}, from the submitted assessments of rounds
    whose discussion has opened."""
    ratings: dict[int, dict[int, str]] = {}
    for round_ in _discussed(rounds):
        for a in round_.assessments:
            if a.submitted_at is not None and a.proposed_level in LEVEL_SCALE:
                ratings.setdefault(a.reviewer_id, {})[round_.id] = a.proposed_level
    return ratings


def _shared(ratings, a: int, b: int, up_to: int | None = None) -> list[int]:
    common = set(ratings.get(a, {})) & set(ratings.get(b, {}))
    return sorted(r for r in common if up_to is None or r <= up_to)


def pair_agreement(ratings, a: int, b: int, up_to: int | None = None) -> Agreement:
    """Kappa of reviewers a and b over the rounds both proposed a level in (up to round
    id `up_to`, rounds being numbered in time order)."""
    shared = _shared(ratings, a, b, up_to)
    pairs = [(ratings[a][r], ratings[b][r]) for r in shared]
    kappa = weighted_kappa(pairs, LEVEL_SCALE) if len(shared) >= MIN_ROUNDS else None
    return Agreement(kappa, len(shared))


def panel_agreements(rounds: Iterable) -> list[PairAgreement]:
    """Per pair of reviewers who judged at least one round together: their agreement
    over time."""
    ratings = proposals(rounds)
    result = []
    for a, b in combinations(sorted(ratings), 2):
        agreement = pair_agreement(ratings, a, b)
        if agreement.rounds:
            result.append(PairAgreement((a, b), agreement))
    return result


def round_agreement(round_, ratings: dict[int, dict[int, str]]) -> Agreement:
    """The round's panel: mean kappa of its pairs over the rounds each pair shared up to
    and including this one; `rounds` counts the distinct rounds behind it."""
    reviewers = sorted(r for r, levels in ratings.items() if round_.id in levels)
    kappas, behind = [], set()
    for a, b in combinations(reviewers, 2):
        agreement = pair_agreement(ratings, a, b, up_to=round_.id)
        behind.update(_shared(ratings, a, b, round_.id))
        if agreement.kappa is not None:
            kappas.append(agreement.kappa)
    if not kappas:
        return Agreement(None, len(behind))
    return Agreement(sum(kappas) / len(kappas), len(behind))


def overall_agreement(rounds: Sequence) -> Agreement:
    """Mean kappa over every pair with enough shared rounds; `rounds` counts the distinct
    rounds behind it."""
    ratings = proposals(rounds)
    kappas, behind = [], set()
    for pair in panel_agreements(rounds):
        behind.update(_shared(ratings, *pair.reviewer_ids))
        if pair.agreement.kappa is not None:
            kappas.append(pair.agreement.kappa)
    if not kappas:
        return Agreement(None, len(behind))
    return Agreement(sum(kappas) / len(kappas), len(behind))


def describe_kappa(kappa: float | None) -> str:
    """The band of a kappa in plain words (Landis & Koch), translated."""
    if kappa is None:
        return _("niet genoeg gegevens")
    bands = (
        (0.0, _("niet beter dan toeval")),
        (0.2, _("geringe overeenstemming")),
        (0.4, _("redelijke overeenstemming")),
        (0.6, _("matige overeenstemming")),
        (0.8, _("aanzienlijke overeenstemming")),
    )
    return next((words for upper, words in bands if kappa <= upper),
                _("(bijna) volledige overeenstemming"))


@dataclass(frozen=True)
class CriterionAgreement:
    """Kappa on one criterion of the study appraisal; `studies` counts the appraised
    studies (per round) behind it."""

    criterion: str
    kappa: float | None
    studies: int


def appraisal_answers(rounds: Iterable) -> dict[str, dict[int, dict]]:
    """Criterion -> reviewer id -> {(round id, study id): category}, from the complete
    appraisals of submitted assessments of rounds whose discussion has opened (numbers
    as their bands)."""
    answers: dict[str, dict[int, dict]] = {name: {} for name in CRITERIA}
    for round_ in _discussed(rounds):
        for assessment in round_.assessments:
            if assessment.submitted_at is None:
                continue
            for appraisal in assessment.appraisals:
                given = answers_of(appraisal)
                if given is None:
                    continue
                for name, category in categories(given).items():
                    if name == "rating":
                        category = appraisal.rating
                    answers[name].setdefault(assessment.reviewer_id, {})[
                        (round_.id, appraisal.study_id)] = category
    return answers


def criterion_agreements(rounds: Iterable) -> list[CriterionAgreement]:
    """Per appraisal criterion, the mean kappa over the pairs of reviewers who appraised
    at least MIN_ROUNDS studies together (quadratic-weighted for the ordinal rating,
    unweighted for the others)."""
    result = []
    for name, ratings in appraisal_answers(rounds).items():
        kappas, behind = [], set()
        for a, b in combinations(sorted(ratings), 2):
            common = sorted(set(ratings[a]) & set(ratings[b]))
            behind.update(common)
            if len(common) >= MIN_ROUNDS:
                kappa = weighted_kappa([(ratings[a][i], ratings[b][i]) for i in common],
                                       CRITERIA[name], ordinal=name in ORDINAL_CRITERIA)
                if kappa is not None:
                    kappas.append(kappa)
        mean = sum(kappas) / len(kappas) if kappas else None
        result.append(CriterionAgreement(name, mean, len(behind)))
    return result
