"""Search by client profile: rank interventions by fit, evidence and text relevance.

Score (documented in README.md, "Search"):

    score = 10 * fit_share + 3 * evidence + 3 * text - 8 * hard_mismatches

fit_share        characteristics the intervention addresses / characteristics given (0..1)
evidence         the level's strength: well_described 2/6 ... effective_strong 6/6;
                 provisional 1/6; not assessed, expired and not recognised 0
text             text score of the goal / best text score of the top 200 matches (0..1)
hard_mismatches  the client's ladder rung outside the intervention's range, and an age
                 band the intervention names others but not this one (0..2)

Interventions that address nothing and do not match the goal text are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search_index import bitsets, ranking
from search_index.query import ordered_page, parse_text, text_mask
from search_index.view import IndexView

FIT_WEIGHT, EVIDENCE_WEIGHT, TEXT_WEIGHT, MISMATCH_PENALTY = 10.0, 3.0, 3.0, 8.0
TEXT_CANDIDATES = 200


@dataclass
class ClientProfile:
    rung: int | None = None
    support_need: str | None = None
    age_band: str | None = None
    target_groups: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    goal: str = ""

    def characteristics(self) -> list[tuple[str, str]]:
        """(facet, value) pairs the client has, in the order they are explained."""
        pairs = [("ladder_rung", str(self.rung))] if self.rung else []
        pairs += [("support_need", self.support_need)] if self.support_need else []
        pairs += [("age_band", self.age_band)] if self.age_band else []
        for facet, values in (
            ("target_group", self.target_groups),
            ("barrier", self.barriers),
            ("domain", self.domains),
            ("phase", self.phases),
        ):
            pairs += [(facet, v) for v in values]
        return pairs


@dataclass
class ProfileHit:
    intervention_id: int
    score: float
    fits: list[tuple[str, str]]
    mismatches: list[tuple[str, str]]
    unaddressed: list[tuple[str, str]]
    goal_matched: bool | None = None  # None when no goal was given


@dataclass
class ProfileResult:
    total: int
    hits: list[ProfileHit]


def evidence_points(level_rank: int) -> float:
    """0..1: how strong the evidence is (see the module docstring)."""
    return level_rank / 6 if level_rank > 0 else 0.0


def score(fit: int, given: int, level_rank: int, text: float, mismatches: int) -> float:
    """The documented profile score of one intervention."""
    share = fit / given if given else 0.0
    return (
        FIT_WEIGHT * share
        + EVIDENCE_WEIGHT * evidence_points(level_rank)
        + TEXT_WEIGHT * text
        - MISMATCH_PENALTY * mismatches
    )


def _mask(view: IndexView, facet: str, value: str) -> int:
    return view.values.get(facet, {}).get(value, 0)


def mismatch_masks(view: IndexView, profile: ClientProfile) -> list[tuple[str, str, int]]:
    """Hard mismatches: (facet, value, documents that mismatch)."""
    result = []
    if profile.rung:
        covered = _mask(view, "ladder_rung", str(profile.rung))
        result.append(("ladder_rung", str(profile.rung), view.live & ~covered))
    if profile.age_band:
        any_age = 0
        for mask in view.values.get("age_band", {}).values():
            any_age |= mask
        own = _mask(view, "age_band", profile.age_band)
        result.append(("age_band", profile.age_band, view.live & any_age & ~own))
    return result


def _text_scores(searcher: Searcher, view: IndexView, goal: str) -> dict[int, float]:
    query = parse_text(searcher, goal, view)
    if query is None:
        return {}
    ranked = ranking.top_scored(
        searcher, view, query, text_mask(searcher, view, query), TEXT_CANDIDATES
    )
    if ranked is None:  # not a plain word query: let Whoosh score it
        ranked = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=TEXT_CANDIDATES)]
    best = max((score for _, score in ranked), default=0.0) or 1.0
    return {doc: score / best for doc, score in ranked}


def _segments(searcher, view, profile, text) -> list[tuple[float, int, int | None]]:
    """(score, tie-break, mask or None) per bucket of equal score, plus one per text hit."""
    pairs = profile.characteristics()
    fit_counter: list[int] = []
    for facet, value in pairs:
        bitsets.add_counter(fit_counter, _mask(view, facet, value))
    miss_counter: list[int] = []
    for _, _, mask in mismatch_masks(view, profile):
        bitsets.add_counter(miss_counter, mask)
    text_mask = bitsets.from_ids(text, view.size)
    segments: list[tuple[float, int, object]] = []
    levels = view.level_masks()
    for fit in range(1, len(pairs) + 1):
        fit_docs = bitsets.counter_equals(fit_counter, fit, view.live) & ~text_mask
        for misses in range(3):
            docs = fit_docs & bitsets.counter_equals(miss_counter, misses, view.live)
            for rank, level_docs in levels.items():
                bucket = docs & level_docs
                if bucket:
                    segments.append((score(fit, len(pairs), rank, 0.0, misses), 1, bucket))
    fits_of, misses_of = _per_doc_counters(fit_counter, miss_counter, view)
    for doc, relevance in text.items():
        value = score(fits_of(doc), len(pairs), view.level_rank[doc], relevance, misses_of(doc))
        segments.append((value, 0, doc))
    segments.sort(key=lambda s: (-s[0], s[1], view.title_rank[s[2]] if s[1] == 0 else 0))
    return segments


def _per_doc_counters(fit_counter, miss_counter, view):
    fit_bytes = [bitsets.to_bytes(m, view.size) for m in fit_counter]
    miss_bytes = [bitsets.to_bytes(m, view.size) for m in miss_counter]

    def value(planes, doc):
        return sum(1 << i for i, plane in enumerate(planes) if bitsets.contains(plane, doc))

    return (lambda d: value(fit_bytes, d)), (lambda d: value(miss_bytes, d))


def _take(view, segments, start: int, stop: int) -> tuple[int, list[tuple[int, float]]]:
    total, page = 0, []
    for value, kind, item in segments:
        count = 1 if kind == 0 else item.bit_count()
        lo, hi = max(start - total, 0), min(stop - total, count)
        if lo < hi:
            docs = [item] if kind == 0 else ordered_page(view, item, "title", lo, hi)
            page.extend((doc, value) for doc in docs)
        total += count
    return total, page


def explain(view: IndexView, profile: ClientProfile, doc: int) -> tuple[list, list, list]:
    """(fits, hard mismatches, not addressed) of one document for this client."""
    hard = {(f, v) for f, v, mask in mismatch_masks(view, profile) if mask >> doc & 1}
    fits, unaddressed = [], []
    for facet, value in profile.characteristics():
        if _mask(view, facet, value) >> doc & 1:
            fits.append((facet, value))
        elif (facet, value) not in hard:
            unaddressed.append((facet, value))
    return fits, sorted(hard), unaddressed


def run_profile(
    searcher: Searcher, view: IndexView, profile: ClientProfile, page: int = 1, per_page: int = 20
) -> ProfileResult:
    """Rank interventions for a client profile, best first, one page of them."""
    start = (page - 1) * per_page
    text = _text_scores(searcher, view, profile.goal)
    segments = _segments(searcher, view, profile, text)
    total, docs = _take(view, segments, start, start + per_page)
    hits = []
    for doc, value in docs:
        fits, hard, unaddressed = explain(view, profile, doc)
        matched = (doc in text) if profile.goal.strip() else None
        hits.append(ProfileHit(view.ids[doc], round(value, 3), fits, hard, unaddressed, matched))
    return ProfileResult(total, hits)
