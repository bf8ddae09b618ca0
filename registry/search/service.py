"""What the pages and the API call: search, then load the hits from the database.

Hits are loaded through the public catalogue query, so a record that stopped being
public a moment ago is dropped even before the index hears of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import select

from registry.extensions import db
from registry.models import EvidenceDecision, Intervention, InterventionVersion, VocabularyTerm
from registry.schemas.search import profile_from_query
from registry.search import snippets
from registry.search.goals import expand_goal, goal_domains
from registry.search.harm import harm_of
from registry.search.kinds import KINDS
from registry.services.catalogue import public_status_sql
from search_index import searchers
from search_index.profile import HARM_PENALTY, ClientProfile, ProfileResult, run_profile
from search_index.query import SearchRequest, SearchResult, run_search
from search_index.schema import ENGLISH_FIELD, TEXT_FIELDS
from search_index.storage import IndexUnavailable

# The analysed text field: its (stemmed) terms are what the snippet marks.
SNIPPET_FIELDS = ("text",)


@dataclass(frozen=True)
class HitVersion:
    title: str
    summary: str


@dataclass(frozen=True)
class Hit:
    """What a result shows of an intervention (read as plain columns, not ORM objects:
    loading full rows was a quarter of a search page's time)."""

    id: int
    slug: str
    published_version: HitVersion
    status: str
    # Outcome domains its findings rate negative: a warning on every result list.
    harmful: tuple[str, ...] = ()


@dataclass
class Item:
    intervention: Hit
    status: str
    snippet: Markup
    score: float = 0.0
    fits: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    unaddressed: list = field(default_factory=list)
    explanation: str = ""
    matched: int = 0  # of a partial match: how many of the words
    fit_summary: str = ""
    goal_matched: bool | None = None
    positive_goal_domains: list = field(default_factory=list)
    only_age_band: str | None = None  # the one band it serves, when no age was given
    other_barriers: list = field(default_factory=list)  # its own, when none is the client's


def _load(ids: list[int], harm: dict[int, tuple[str, ...]]) -> dict[int, Hit]:
    if not ids:
        return {}
    stmt = (
        select(Intervention.id, Intervention.slug, InterventionVersion.title,
               InterventionVersion.summary, public_status_sql())
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .outerjoin(EvidenceDecision, EvidenceDecision.id == Intervention.current_decision_id)
        .where(Intervention.id.in_(ids))
    )
    return {row[0]: Hit(row[0], row[1], HitVersion(row[2], row[3] or ""), row[4],
                        harm.get(row[0], ()))
            for row in db.session.execute(stmt)}


def _snippet(intervention: Hit, terms: set[str]) -> Markup:
    summary = intervention.published_version.summary or ""
    found = snippets.marked(summary, terms) if terms else None
    if found is not None:
        return found
    text = summary if len(summary) <= 240 else summary[:240].rsplit(" ", 1)[0] + " …"
    return Markup.escape(text)


def status_counts(root: Path) -> dict[str, int]:
    """Published interventions per public status, as the search page counts them (the
    home page links each count to that search): bit counts of the index's "level"
    facet, a few microseconds where an SQL count reads every published intervention
    (bench/README.md, "Growth"). Raises IndexUnavailable."""
    _searcher, view = searchers.acquire(root)
    counts = {status: (mask & view.live).bit_count()
              for status, mask in view.values.get("level", {}).items()}
    return {status: count for status, count in counts.items() if count}


def _query_terms(result: SearchResult) -> set[str]:
    if result.query is None:
        return set()
    return {
        text.decode() if isinstance(text, bytes) else text
        for fieldname, text in result.query.all_terms()
        if fieldname in SNIPPET_FIELDS
    }


def search(root: Path, request: SearchRequest,
           snippets: bool = True) -> tuple[SearchResult, list[Item]]:
    """Run a faceted search and load its page of hits (and the partial matches that
    follow too few full ones, as `partial_items`); without `snippets` the summaries are
    not highlighted (exports). Raises IndexUnavailable."""
    searcher, view = searchers.acquire(root)
    result = run_search(searcher, view, request)
    partial = [(hit.intervention_id, hit.score) for hit in result.partial]
    ids = [i for i, _ in result.hits + partial]
    loaded = _load(ids, harm_of(searcher, view, ids))
    terms = _query_terms(result) if snippets else set()
    items = _items(result.hits, loaded, terms)
    result.partial_items = _items(partial, loaded, terms)
    for item, hit in zip(result.partial_items, [h for h in result.partial
                                                 if h.intervention_id in loaded], strict=True):
        item.matched = hit.matched
    return result, items


def _items(hits: list[tuple[int, float]], loaded: dict[int, Hit], terms) -> list[Item]:
    return [
        Item(loaded[i], loaded[i].status, _snippet(loaded[i], terms), score)
        for i, score in hits
        if i in loaded
    ]


def search_profile(
    root: Path, profile: ClientProfile, page: int, per_page: int
) -> tuple[ProfileResult, list[Item]]:
    """Rank interventions for a client profile and load the page. Raises IndexUnavailable."""
    searcher, view = searchers.acquire(root)
    widened = _widened(profile)

    def harm_penalties(ids: list[int]) -> dict[int, float]:
        return {i: HARM_PENALTY for i, domains in harm_of(searcher, view, ids).items() if domains}

    result = run_profile(searcher, view, widened, page, per_page, harm_penalties)
    ids = [h.intervention_id for h in result.hits]
    loaded = _load(ids, harm_of(searcher, view, ids))
    items = [
        Item(
            loaded[h.intervention_id],
            loaded[h.intervention_id].status,
            _snippet(loaded[h.intervention_id], set()),
            h.score,
            h.fits,
            h.mismatches,
            h.unaddressed,
            goal_matched=h.goal_matched,
            positive_goal_domains=h.positive_goal_domains,
            only_age_band=h.only_age_band,
            other_barriers=h.other_barriers,
        )
        for h in result.hits
        if h.intervention_id in loaded
    ]
    return result, items


SAVED_PROFILE_WATCH = 200  # the best results of a saved profile "new since" looks at
# Target groups defined by age alone: a client in the age band is one of them, named or
# not (the ranking's focus penalty does not count them as made for another group).
TARGET_GROUPS_BY_AGE_BAND = {"55_plus": ("over_55",)}


def _widened(profile: ClientProfile) -> ClientProfile:
    """The profile as the engine ranks it: the age bands' order known, the goal widened
    with its near-words."""
    if profile.age_band and not profile.age_order:
        profile.age_order = age_order()
    goal = expand_goal(profile.goal)
    implied = tuple(("target_group", group)
                    for group in TARGET_GROUPS_BY_AGE_BAND.get(profile.age_band or "", ()))
    return replace(profile, goal=goal, goal_domains=goal_domains(profile.goal, goal),
                   implied_focus=implied)


def profile_ids(root: Path, profile: ClientProfile, limit: int) -> list[int]:
    """The ids of the profile search's best `limit` results (no page loaded). Raises
    IndexUnavailable."""
    searcher, view = searchers.acquire(root)
    hits = run_profile(searcher, view, _widened(profile), 1, limit).hits
    return [hit.intervention_id for hit in hits]


def saved_profile_ids(root: Path, query: dict[str, list[str]]) -> list[int]:
    """The ids of a saved profile's best SAVED_PROFILE_WATCH results: what "new since"
    (its page, the weekly e-mail) looks at. Raises IndexUnavailable."""
    return profile_ids(root, profile_from_query(query), SAVED_PROFILE_WATCH)


def age_order() -> tuple[str, ...]:
    """The age bands in their vocabulary's order, youngest first (which are neighbours)."""
    return tuple(db.session.scalars(select(VocabularyTerm.code).where(
        VocabularyTerm.vocabulary == "age_band").order_by(VocabularyTerm.position)))


def warm_up(app) -> dict[str, bool]:
    """Before a process serves (gunicorn.conf.py post_worker_init): build the search view
    and text norms of each kind's index, which the process's first search would otherwise
    wait for. {kind: warmed}; a kind without an index (not built yet) is left to its
    first search."""
    warmed = {}
    for kind in KINDS:
        try:
            searchers.warm(kind.root(app.config["INDEX_DIR"]), (*TEXT_FIELDS, ENGLISH_FIELD))
            warmed[kind.name] = True
        except IndexUnavailable:
            warmed[kind.name] = False
    searchers.release_all()  # this thread serves no request; the views stay shared
    return warmed
