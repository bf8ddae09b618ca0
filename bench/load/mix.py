"""The request mix of the load benchmark: which pages, how often, with which parameters.

Shared by the locustfile (under load), the uncontended sequential run and the profiler,
so all three ask for the same kinds of page. Targets (intervention slugs, study ids) come
from the benchmark database and are written to a JSON file by bench.load.run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import urlencode

# What a klantmanager types (README, Search/Benchmark; the same as bench/search/probe.py).
TEXTS = ["schuldhulp jongeren", "jobcoach autisme", "taalcursus statushouders",
         "werkervaringsplaats bijstand", "psychische klachten", "loonkostensubsidie werkgever",
         "proefplaatsing uitkering", "alleenstaande ouders", "beschut werk",
         "begeleiding werk"]
# Facet parameters as the page's links write them (registry/views/search.py).
FILTERS = [
    {"barrier": ["debt", "language"], "age_band": ["under_27"], "domain": ["participatiewet"]},
    {"barrier": ["mental_health"], "target_group": ["social_assistance"], "phase": ["guidance"]},
    {"region": ["national", "utrecht"], "support_need": ["high"], "delivery_form": ["group"]},
    {"level": ["effective_first", "effective_good"]},
    {"target_group": ["newcomers"], "ladder_rung": ["2"]},
]
PROFILES = [
    {"rung": "2", "support_need": "high", "age_band": "under_27", "barrier": ["debt", "language"],
     "target_group": ["newcomers"], "domain": ["participatiewet"], "phase": ["guidance"]},
    {"rung": "3", "age_band": "55_plus", "barrier": ["mental_health"],
     "target_group": ["social_assistance"]},
    {"rung": "4", "support_need": "moderate", "barrier": ["long_term_unemployed"],
     "domain": ["participatiewet"]},
    {"rung": "1", "age_band": "27_44", "barrier": ["addiction", "housing"],
     "target_group": ["single_parents"]},
]

# kind -> weight (share of requests). Searching is what the site is for; record pages are
# what a search leads to; the home page is where many visits start.
WEIGHTS = {
    "home": 10,
    "search": 25,
    "search_filtered": 20,
    "profile_page": 10,
    "profile_api": 5,
    "intervention": 20,
    "study": 10,
}
KINDS = tuple(WEIGHTS)


def load_targets(path: Path) -> dict:
    """{"slugs": [...], "study_ids": [...]} as bench.load.run wrote them."""
    return json.loads(path.read_text())


def url(kind: str, rng: random.Random, targets: dict) -> str:
    """A path (with query string) of this kind, drawn with rng."""
    if kind == "home":
        return "/"
    if kind == "search":
        return "/zoeken?" + urlencode({"q": rng.choice(TEXTS)})
    if kind == "search_filtered":
        params = dict(rng.choice(FILTERS))
        if rng.random() < 0.7:  # most filtered searches also carry text
            params["q"] = rng.choice(TEXTS)
        return "/zoeken?" + urlencode(params, doseq=True)
    if kind in ("profile_page", "profile_api"):
        params = {**rng.choice(PROFILES), "goal": rng.choice(TEXTS)}
        base = "/zoeken/profiel" if kind == "profile_page" else "/api/v1/search/profile"
        return base + "?" + urlencode(params, doseq=True)
    if kind == "intervention":
        return "/interventies/" + rng.choice(targets["slugs"])
    if kind == "study":
        return f"/studies/{rng.choice(targets['study_ids'])}"
    raise ValueError(kind)


def draw_kind(rng: random.Random) -> str:
    return rng.choices(KINDS, weights=list(WEIGHTS.values()))[0]
