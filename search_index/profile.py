"""Search by client profile: rank interventions by fit, goal text and evidence.

Score (documented in README.md, "Search", ranking v2):

    score = 10 * fit + 4 * text + evidence_weight * evidence
            - rung_penalty - age_penalty - focus_penalty - barrier_penalty - harm

fit           the weighted share of the client's characteristics the intervention
              addresses; each characteristic weighs its specificity in the catalogue,
              log(1 + N / (1 + n)) for n of N interventions naming it, so a rare,
              decisive characteristic (a barrier, a target group) counts more than one
              nearly every intervention names (a rung, the Participatiewet). The rung
              counts by how narrow the intervention's range is: 1 for a range of one
              rung, 1 - RUNG_BREADTH_DISCOUNT (0.25) for one spanning the whole ladder,
              which fits every client's rung and so says little. The share is
              taken of at least the weight of two characteristics named by one
              in ten interventions: a profile of broad characteristics only (a rung, an
              age band) fits many interventions a little, not fully, so its goal decides
text          how well the intervention matches the goal, 0..1: BM25F of the goal's
              words as an OR (after Dutch stopwords and stemming) among the best
              TEXT_CANDIDATES, relative to the best, times (1 + share of the goal's words
              it contains) / 2
evidence      the level's strength, 0..1 (well_described 1/5 ... effective_strong 5/5;
              provisional 0.1; otherwise 0); when the goal is about outcome domains
              (work, participation, income ...: the registry reads them from the goal),
              the mean of that and 1 when the effects in one of those domains are rated
              (potentially) positive, else 0. It orders near-equal fits, never overrules
              fit: its weight shrinks with the part of 10 + 4 that the profile can reach
              (evidence_weight): a goal without characteristics reaches only the 4 of
              the text, so there evidence weighs 1.5 * 4 / 14
rung_penalty  1 for the first rung between the client's rung and the intervention's
              range, 2 for each further one, at most 3 rungs counted (one step away still
              suits; a graded distance, not a cliff)
age_penalty   the intervention names age bands but not the client's: 1 when one it names
              is next to the client's band, 3 when none is; when the profile gives no
              age, 1 for an intervention made for one age band only (for young people,
              for over-55s): whether it suits the client is not known
focus_penalty when the client has target groups or barriers: 5 times the share of the
              intervention's own target groups and barriers that the client does not
              have, each weighted by the square of its specificity (the rarest decide
              whom an intervention is made for); an intervention made for another group
              (alleenstaande ouders, statushouders) ranks below one made for this client.
              A group the client belongs to by another characteristic (implied_focus:
              the over-55s, for a client of 55 or older) counts as the client's own
barrier_penalty when the client has barriers: 3 for an intervention that names
              barriers but none of the client's (made for another problem: a treatment
              of anxiety for a client whose barrier is debt). The focus penalty weighs
              all of an intervention's groups and barriers together, and an
              intervention that also names common groups kept most of its rank
harm          5 when the intervention's effects are rated (possibly) negative in any
              outcome domain (the registry passes these as penalties)

Interventions that address nothing of the profile and do not match the goal are left out.
The penalties are computed in search_index/profile_penalties.py, the characteristics'
weights in search_index/profile_weights.py; the client's profile is defined in
search_index/profile_inputs.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from whoosh.query import And
from whoosh.searching import Searcher

from search_index import arrays, ranking
from search_index.profile_inputs import ClientProfile, Features
from search_index.profile_penalties import (
    age_classes,
    age_penalties,
    barrier_mismatches,
    focus_penalties,
    only_band,
    other_barriers,
    rung_classes,
    rung_penalties,
    rung_penalty,
    subtract_barrier_penalty,
)
from search_index.profile_weights import add_weight, facet_mask, specificity
from search_index.query import parse_text
from search_index.view import IndexView

FIT_WEIGHT, TEXT_WEIGHT, EVIDENCE_WEIGHT = 10.0, 4.0, 1.5
HARM_PENALTY = 5.0  # what the registry subtracts for a harm rating (registry/search/service.py)
RUNG_BREADTH_DISCOUNT = 0.75  # of the rung's fit, for a range spanning the whole ladder
FIT_FLOOR_CHARACTERISTICS, FIT_FLOOR_SHARE = 2, 0.1
POSITIVE_FACET = "positive_effect"  # outcome domains rated (potentially) positive
TEXT_CANDIDATES = 200
MAX_GOAL_WORDS = 12
PROVISIONAL_POINTS = 0.1


Penalties = Callable[[list[int]], dict[int, float]]


@dataclass
class ProfileHit:
    intervention_id: int
    score: float
    fits: list[tuple[str, str]]
    mismatches: list[tuple[str, str]]
    unaddressed: list[tuple[str, str]]
    goal_matched: bool | None = None  # None when no goal was given
    # Of the goal's outcome domains, those the intervention's effects are rated
    # (potentially) positive in.
    positive_goal_domains: list[str] = field(default_factory=list)
    # When the profile gives no age: the one age band the intervention is made for.
    only_age_band: str | None = None
    # When the client has barriers and the intervention names none of them: its own.
    other_barriers: list[str] = field(default_factory=list)


@dataclass
class ProfileResult:
    total: int
    hits: list[ProfileHit]


def evidence_points(level_rank: int) -> float:
    """0..1: how strong the evidence is (see the module docstring); level_rank is the
    index's (registry.evidence.STATUS_RANK: provisional 1, well_described 2 ...
    effective_strong 6, 0 or less without recognised evidence)."""
    if level_rank <= 0:
        return 0.0
    return PROVISIONAL_POINTS if level_rank == 1 else min((level_rank - 1) / 5, 1.0)


def evidence_weight(has_characteristics: bool = True, has_goal_match: bool = True) -> float:
    """EVIDENCE_WEIGHT in proportion to the part of FIT_WEIGHT + TEXT_WEIGHT the profile
    can reach: with characteristics and a goal that matches something all of it, with a
    goal alone only the text's part. So evidence stays a tiebreaker on the scale the
    ranking actually has (it would otherwise decide between goal matches that differ
    clearly)."""
    reachable = FIT_WEIGHT * has_characteristics + TEXT_WEIGHT * has_goal_match
    return EVIDENCE_WEIGHT * (reachable or FIT_WEIGHT + TEXT_WEIGHT) / (FIT_WEIGHT + TEXT_WEIGHT)


def fit_floor(live: int) -> float:
    """The least total weight a profile's fit is a share of (see the module docstring)."""
    return FIT_FLOOR_CHARACTERISTICS * specificity(round(live * FIT_FLOOR_SHARE), live)


def score(fit: float, text: float, level_rank: int, rung_distance: int,
          age_penalty: float) -> float:
    """The documented profile score of one intervention (fit and text are 0..1) for a
    profile with characteristics and a goal that matches."""
    return (FIT_WEIGHT * fit + TEXT_WEIGHT * text + evidence_weight() * evidence_points(
        level_rank) - float(rung_penalty(rung_distance)) - age_penalty)


def _features(view: IndexView, profile: ClientProfile) -> Features:
    live_count = view.live.bit_count()
    weighted = []
    for facet, value in profile.characteristics():
        docs = facet_mask(view, facet, value) & view.live
        weighted.append((facet, value, docs, specificity(docs.bit_count(), live_count)))
    total = max(sum(w for *_, w in weighted), fit_floor(live_count)) or 1.0
    named = set(profile.characteristics())
    implied = []
    for facet, value in profile.implied_focus:
        if (facet, value) not in named:
            docs = facet_mask(view, facet, value) & view.live
            implied.append((facet, value, docs, specificity(docs.bit_count(), live_count)))
    return Features(weighted, total, implied, rung_classes(view, profile),
                     age_classes(view, profile))


def _goal_words(searcher: Searcher, view: IndexView, goal: str) -> list:
    """The goal's words as separate queries (each over every text field)."""
    query = parse_text(searcher, goal, view)
    if query is None:
        return []
    words = list(query.subqueries) if type(query) is And else [query]
    return words[:MAX_GOAL_WORDS]


def _text_scores(searcher: Searcher, view: IndexView, goal: str) -> np.ndarray:
    """Per document its text score, 0..1 (0 for all but the best TEXT_CANDIDATES that
    match any goal word)."""
    text = np.zeros(view.size)
    words = _goal_words(searcher, view, goal)
    if not words:
        return text
    total, covered = np.zeros(view.size), np.zeros(view.size)
    for word in words:
        scores = np.zeros(view.size)
        terms = ranking.plain_terms(word)
        if terms is None:  # a quoted phrase: Whoosh scores it
            for hit in searcher.search(word, limit=TEXT_CANDIDATES):
                scores[hit.docnum] += hit.score
        else:
            for term in terms:
                arrays.add_bm25(scores, view, searcher, term)
        total += scores
        covered += scores > 0
    total *= arrays.live(view)
    matched = np.flatnonzero(total != 0)  # a boolean array: numpy finds these 8x faster
    if len(matched) > TEXT_CANDIDATES:
        matched = matched[np.argpartition(-total[matched], TEXT_CANDIDATES - 1)[
            :TEXT_CANDIDATES]]
    if len(matched):
        best = total[matched].max()
        text[matched] = total[matched] / best * (1 + covered[matched] / len(words)) / 2
    return text


_POINTS = np.array([evidence_points(rank) for rank in range(7)])


def rung_narrowness(named, rungs: int):
    """How much a rung fit counts for an intervention naming `named` of the ladder's
    `rungs` rungs (a number or an array): 1 for one rung, 1 - RUNG_BREADTH_DISCOUNT for
    all of them."""
    if rungs < 2:
        return np.ones_like(named, dtype=float)
    return 1 - RUNG_BREADTH_DISCOUNT * np.clip(named - 1, 0, None) / (rungs - 1)


def _rung_narrowness(view: IndexView) -> np.ndarray:
    """Per document rung_narrowness of its rung range."""
    def build() -> np.ndarray:
        rungs = view.values.get("ladder_rung", {})
        named = sum((arrays.facet_value(view, "ladder_rung", code).astype(np.int64)
                     for code in rungs), np.zeros(view.size, dtype=np.int64))
        return rung_narrowness(named, len(rungs))

    return arrays.kept(view, ("rung_narrowness",), build)


def _positive_in_goal(view: IndexView, profile: ClientProfile) -> np.ndarray:
    found = np.zeros(view.size, dtype=bool)
    for domain in profile.goal_domains:
        found |= arrays.facet_value(view, POSITIVE_FACET, domain)
    return found


def evidence_in_goal_domains(view: IndexView, profile: ClientProfile) -> np.ndarray:
    """Per document its evidence points, 0..1 (see the module docstring)."""
    level = _POINTS[np.clip(arrays.level_ranks(view), 0, 6)]
    if not profile.goal_domains:
        return level
    return (level + _positive_in_goal(view, profile)) / 2


def _scores(view: IndexView, features: Features, profile: ClientProfile,
            text: np.ndarray, mismatched: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(score per document, the documents in the result: fitting something or matching
    the goal); `mismatched` is barrier_mismatches'."""
    fit = np.zeros(view.size)
    for facet, value, _docs, weight in features.weighted:
        add_weight(fit, view, facet, value, weight,
                    _rung_narrowness(view) if facet == "ladder_rung" else None)
    fit /= features.total_weight
    evidence = evidence_in_goal_domains(view, profile) * evidence_weight(
        bool(features.weighted), bool(text.any()))
    # FIT_WEIGHT * fit + TEXT_WEIGHT * text + evidence - rung - age - focus, term by term
    # in that order (the same floats) into one array: each new temporary of the whole
    # catalogue cost its allocation and page faults, most of this function at 100k.
    in_result = np.flatnonzero(arrays.live(view) & ((fit > 0) | (text > 0)))
    scores = np.multiply(fit, FIT_WEIGHT, out=fit)  # fit is not needed any more
    scores += np.multiply(text, TEXT_WEIGHT)
    scores += evidence
    scores -= rung_penalties(view, profile)
    scores -= age_penalties(view, profile)
    scores -= focus_penalties(view, features)
    subtract_barrier_penalty(scores, mismatched)
    return scores, in_result


def _ranked(view: IndexView, scores: np.ndarray, candidates: np.ndarray,
            stop: int) -> list[int]:
    """The first `stop` candidates, best score first, ties by title (scores equal to 9
    decimals are equal: float noise does not decide)."""
    return candidates[arrays.best_order(
        scores[candidates], arrays.title_ranks(view)[candidates], stop, decimals=9)].tolist()


def _ranked_with_penalties(view: IndexView, scores: np.ndarray, candidates: np.ndarray,
                           stop: int, penalties: Penalties | None) -> list[int]:
    """_ranked, with the penalties applied to every document that reaches the first
    `stop`: a penalised document may drop out and let another in, which is asked about
    in turn, until the first `stop` are all known."""
    asked: set[int] = set()
    while True:
        top = _ranked(view, scores, candidates, stop)
        fresh = [doc for doc in top if doc not in asked]
        if penalties is None or not fresh:
            return top
        asked.update(fresh)
        found = penalties([view.ids[doc] for doc in fresh])
        for doc in fresh:
            scores[doc] -= found.get(view.ids[doc], 0.0)


def explain(view: IndexView, profile: ClientProfile, doc: int,
            features: Features | None = None) -> tuple[list, list, list]:
    """(fits, mismatches, not addressed) of one document for this client: a mismatch is
    a rung outside the intervention's range or an age band it does not serve."""
    features = features or _features(view, profile)
    hard = set()
    if any(docs >> doc & 1 for _d, docs in features.rung_classes):
        hard.add(("ladder_rung", str(profile.rung)))
    if profile.age_band and any(docs >> doc & 1 for _p, docs in features.age_classes):
        hard.add(("age_band", profile.age_band))
    fits, unaddressed = [], []
    for facet, value, _docs, _w in features.weighted:
        # The kept array of the same documents: a shift of the whole set per result and
        # characteristic copied 12 KB each at 100k.
        if arrays.facet_value(view, facet, value)[doc]:
            fits.append((facet, value))
        elif (facet, value) not in hard:
            unaddressed.append((facet, value))
    return fits, sorted(hard), unaddressed


def run_profile(
    searcher: Searcher, view: IndexView, profile: ClientProfile, page: int = 1,
    per_page: int = 20, penalties: Penalties | None = None,
) -> ProfileResult:
    """Rank interventions for a client profile, best first, one page of them.

    penalties: given intervention ids, the points to subtract from some of them (the
    registry's harm ratings); asked only for those that could reach the page."""
    start = (page - 1) * per_page
    text = _text_scores(searcher, view, profile.goal)
    features = _features(view, profile)
    mismatched = barrier_mismatches(view, profile)
    scores, candidates = _scores(view, features, profile, text, mismatched)
    docs = _ranked_with_penalties(view, scores, candidates, start + per_page, penalties)[start:]
    hits = []
    for doc in docs:
        fits, hard, unaddressed = explain(view, profile, doc, features)
        matched = bool(text[doc] > 0) if profile.goal.strip() else None
        positive = [d for d in profile.goal_domains
                    if arrays.facet_value(view, POSITIVE_FACET, d)[doc]]
        hits.append(ProfileHit(view.ids[doc], round(float(scores[doc]), 3), fits, hard,
                               unaddressed, matched, positive,
                               None if profile.age_band else only_band(view, doc),
                               other_barriers(view, mismatched, doc)))
    return ProfileResult(len(candidates), hits)
