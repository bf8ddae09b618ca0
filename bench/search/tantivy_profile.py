"""The profile ranking against a tantivy query that computes the same score, same process:
`.venv/bin/python -m bench.search.tantivy_profile [SIZE] [PROFILES]` (defaults 10000, 200).

Issue 16 holds the client profile search to at most 2x a tantivy query that computes the
same score. tantivy indexes the same documents as bench.search.tantivy_peer (the text, the
title and one keyword field per facet, a Dutch analysis of its own). For each profile it
runs one boolean query whose clauses are the terms of search_index/profile.py's score:

    fit           a constant score per characteristic the document names: FIT_WEIGHT times
                  its specificity (log(1 + N / (1 + n)), n from tantivy's document
                  frequency) over the profile's total weight (at least fit_floor);
    text          the goal's words (those the Dutch analysis keeps, at most
                  MAX_GOAL_WORDS) as an OR, BM25 over text and title, three quarters of
                  TEXT_WEIGHT for the best document (found by a first query of the goal
                  alone, as ours scores the goal first), and a quarter shared by the words
                  a document contains (ours multiplies: BM25 / best x (1 + share) / 2);
    evidence      per level a constant (evidence_points of its rank times evidence_weight),
                  the highest one a document has (a disjunction max);
    rung, age     the penalty of the rung or age band, of those a document names, nearest
                  the client's (0 inside the range; a disjunction max);
    focus         a document made only for other target groups and barriers loses
                  FOCUS_PENALTY; one that also names the client's loses, per other
                  group, FOCUS_PENALTY times that group's weight over the weight of all
                  other groups and the client's (so less than FOCUS_PENALTY in all, as
                  ours; ours divides by the document's own groups' weight, which a boolean
                  query cannot);
    barriers      a document naming barriers, none of the client's, loses
                  BARRIER_MISMATCH_PENALTY;

and, as ours, returns only documents that fit something or match the goal (those clauses
are a Must). Not written: the rung's breadth discount, and ours giving a text score only
to the goal's best TEXT_CANDIDATES matches (tantivy scores every match, so more
documents are results when a goal matches more than 200). So the two engines rank by
nearly the same numbers, not the same; the report gives how many of each profile's top
10 both engines put there.

Profiles: rung 1-6, each age band, one or two barriers and a target group drawn from the
catalogue's values, a domain, and a goal of two words (bench.search.text_speed's unseen
pairs), so that every profile's goal words are new to both engines when first run; run
once cold, then twice warm, the engines alternating which goes first. CPU ms of the
querying thread (tantivy searches in the calling thread); ours is run_profile (the
engine alone: no page, no harm penalties).
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time

import tantivy

from bench.search.profile_speed import p95
from bench.search.tantivy_peer import _tantivy_index, arguments, catalogue
from bench.search.text_speed import unseen_texts
from registry.evidence import STATUS_RANK
from search_index.analysis import DUTCH_ANALYZER
from search_index.profile import (
    FIT_WEIGHT,
    MAX_GOAL_WORDS,
    TEXT_WEIGHT,
    ClientProfile,
    evidence_points,
    evidence_weight,
    fit_floor,
    run_profile,
)
from search_index.profile_penalties import (
    AGE_FAR_PENALTY,
    AGE_NEAR_PENALTY,
    BARRIER_MISMATCH_PENALTY,
    FOCUS_FACETS,
    FOCUS_PENALTY,
    FOCUS_SPECIFICITY_POWER,
    rung_penalty,
)
from search_index.profile_weights import specificity

TOP = 20
AGE_ORDER = ("under_27", "27_44", "45_54", "55_plus")
RUNGS = tuple(str(r) for r in range(1, 7))
Q, OCCUR = tantivy.Query, tantivy.Occur


def profiles(view, texts: list[str]) -> list[ClientProfile]:
    """One profile per text, the characteristics cycling through the catalogue's values."""
    barriers = sorted(view.values.get("barrier", {}))
    groups = sorted(view.values.get("target_group", {}))
    made = []
    for i, text in enumerate(texts):
        made.append(ClientProfile(
            rung=1 + i % 6, age_band=AGE_ORDER[i % 4],
            barriers=[barriers[i % len(barriers)]] + (
                [barriers[(i * 7 + 3) % len(barriers)]] if i % 3 else []),
            target_groups=[groups[(i * 5) % len(groups)]], domains=["participatiewet"],
            goal=text, age_order=AGE_ORDER))
    return made


def goal_words(goal: str) -> list[str]:
    """The goal's words as ours counts them: those the Dutch analysis keeps (no stop
    words, no signs), at most MAX_GOAL_WORDS."""
    return [word for word in re.findall(r"\w+", goal) if any(DUTCH_ANALYZER(word))][
        :MAX_GOAL_WORDS]


def _text_query(index, words: str):
    """Words (goal_words': no signs of tantivy's query language) as an OR over the text
    and the title."""
    return index.parse_query(words, ["text", "title"])


def _term(index, facet: str, value: str):
    return Q.term_query(index.schema, facet, value)


def _const(query, points: float):
    return Q.const_score_query(query, points)


def _nearest(index, facet: str, penalties: dict[str, float]) -> list:
    """Clauses that subtract the least penalty among the facet's values a document names
    (none when it names none). A disjunction max of negative scores gives 0, so: the
    largest penalty less each value's, the highest of those, less the largest penalty
    for every document that names a value."""
    most = max(penalties.values())
    return [(OCCUR.Should, Q.disjunction_max_query([
                _const(_term(index, facet, value), most - penalty)
                for value, penalty in penalties.items()])),
            (OCCUR.Should, _const(Q.exists_query(facet), -most))]


class PeerQuery:
    """The tantivy query of a profile, built as search_index/profile.py scores."""

    def __init__(self, index, searcher, values: dict[str, list[str]]) -> None:
        self.index, self.searcher, self.values = index, searcher, values
        self.live = searcher.num_docs

    def weight(self, facet: str, value: str) -> float:
        return specificity(self.searcher.doc_freq(facet, value), self.live)

    def query(self, profile: ClientProfile):
        index = self.index
        weighted = [(f, v, self.weight(f, v)) for f, v in profile.characteristics()]
        total = max(sum(w for *_, w in weighted), fit_floor(self.live)) or 1.0
        found = [_const(_term(index, f, v), FIT_WEIGHT * w / total) for f, v, w in weighted]
        text_matched = False
        words = goal_words(profile.goal)
        if words:
            goal = _text_query(index, " ".join(words))
            best = self.searcher.search(goal, 1).hits
            if best and best[0][0] > 0:
                text_matched = True
                # Ours: BM25 / best x (1 + share of the words) / 2; summed instead: three
                # quarters BM25 / best, a quarter the share of the words.
                found.append(Q.boost_query(goal, 0.75 * TEXT_WEIGHT / best[0][0]))
                found += [_const(_text_query(index, word), 0.25 * TEXT_WEIGHT / len(words))
                          for word in words]
        clauses = [(OCCUR.Must, Q.boolean_query([(OCCUR.Should, q) for q in found]))]
        share = evidence_weight(bool(weighted), text_matched)
        clauses.append((OCCUR.Should, Q.disjunction_max_query([
            _const(_term(index, "level", level), share * evidence_points(rank))
            for level, rank in STATUS_RANK.items()])))
        if profile.rung:
            clauses += _nearest(index, "ladder_rung", {
                r: float(rung_penalty(abs(int(r) - profile.rung))) for r in RUNGS})
        if profile.age_band:
            own = AGE_ORDER.index(profile.age_band)
            clauses += _nearest(index, "age_band", {
                band: 0.0 if i == own else AGE_NEAR_PENALTY if abs(i - own) == 1
                else AGE_FAR_PENALTY for i, band in enumerate(AGE_ORDER)})
        clauses += self._focus(profile, weighted)
        if profile.barriers:
            clauses.append((OCCUR.Should, _const(Q.boolean_query(
                [(OCCUR.Must, Q.exists_query("barrier"))]
                + [(OCCUR.MustNot, _term(index, "barrier", b)) for b in profile.barriers]),
                -BARRIER_MISMATCH_PENALTY)))
        return Q.boolean_query(clauses)

    def _focus(self, profile: ClientProfile, weighted: list) -> list:
        index = self.index
        own = {(f, v) for f, v, _w in weighted if f in FOCUS_FACETS}
        if not own:
            return []
        own_weight = sum(w ** FOCUS_SPECIFICITY_POWER for f, v, w in weighted
                         if (f, v) in own)
        others = [(f, v) for f in FOCUS_FACETS for v in self.values[f] if (f, v) not in own]
        made_for_others = Q.boolean_query(
            [(OCCUR.Must, Q.boolean_query([(OCCUR.Should, Q.exists_query(f))
                                           for f in FOCUS_FACETS]))]
            + [(OCCUR.MustNot, _term(index, f, v)) for f, v in own])
        # Each other group's weight over all other groups' and the client's: a document's
        # penalties then add up to less than FOCUS_PENALTY, as ours never exceeds it.
        weights = {(f, v): self.weight(f, v) ** FOCUS_SPECIFICITY_POWER for f, v in others}
        divisor = sum(weights.values()) + own_weight
        partly = [_const(_term(index, f, v), -FOCUS_PENALTY * weights[(f, v)] / divisor)
                  for f, v in others]
        names_own = Q.boolean_query([(OCCUR.Should, _term(index, f, v)) for f, v in own])
        return [(OCCUR.Should, _const(made_for_others, -FOCUS_PENALTY)),
                (OCCUR.Should, Q.boolean_query([(OCCUR.Must, _const(names_own, 0.0))]
                                               + [(OCCUR.Should, q) for q in partly]))]

    def top(self, profile: ClientProfile) -> tuple[int, list[int]]:
        found = self.searcher.search(self.query(profile), TOP)
        return found.count, [self.searcher.doc(address)["id"][0]
                             for _score, address in found.hits]


def _timed(fn) -> float:
    start = time.thread_time()
    fn()
    return (time.thread_time() - start) * 1000


def main() -> None:
    allocator, size, count = arguments()
    documents, whoosh_searcher, view, facets = catalogue(size)
    values = {f: sorted(view.values.get(f, {})) for f in FOCUS_FACETS}
    with tempfile.TemporaryDirectory() as folder:
        index = _tantivy_index(documents, facets, folder)
        peer = PeerQuery(index, index.searcher(), values)
        asked = profiles(view, unseen_texts(whoosh_searcher, view, count))
        engines = {
            "ours": lambda p: run_profile(whoosh_searcher, view, p, 1, TOP),
            "tantivy": peer.top,
        }
        cpu = {(engine, phase): [] for engine in engines for phase in ("cold", "warm")}
        for phase, rounds in (("cold", 1), ("warm", 2)):
            for _ in range(rounds):
                for i, profile in enumerate(asked):
                    order = list(engines.items())
                    for engine, run in order if i % 2 else reversed(order):
                        cpu[(engine, phase)].append(_timed(lambda r=run, p=profile: r(p)))
        overlap, totals = [], []
        for profile in asked:
            ours = run_profile(whoosh_searcher, view, profile, 1, TOP)
            total, theirs = peer.top(profile)
            mine = [hit.intervention_id for hit in ours.hits]
            overlap.append(len(set(mine[:10]) & set(theirs[:10])))
            totals.append((ours.total, total))
    print(f"{size} interventions ({allocator}), {count} profiles (goal words never queried "
          "before), CPU ms per query (p50 / p95), the engines alternating\n")
    print("| phase | ours | tantivy | p95 ours / tantivy | target |")
    print("|---|---|---|---|---|")
    for phase in ("cold", "warm"):
        ours, theirs = cpu[("ours", phase)], cpu[("tantivy", phase)]
        print(f"| {phase} | {statistics.median(ours):.2f} / {p95(ours):.2f} | "
              f"{statistics.median(theirs):.2f} / {p95(theirs):.2f} | "
              f"{p95(ours) / p95(theirs):.2f}× | ≤ 2× |")
    print(f"\nThe same in both top 10s, mean {statistics.mean(overlap):.1f} of 10 (lowest "
          f"{min(overlap)}); results per profile, mean: ours "
          f"{statistics.mean(t[0] for t in totals):.0f}, tantivy "
          f"{statistics.mean(t[1] for t in totals):.0f}.")


if __name__ == "__main__":
    main()
