"""The penalties of the profile score (search_index/profile.py, whose docstring gives
the rules): the client's rung outside an intervention's range, an age band it does not
serve, and what it is made for when that is not this client (focus and barriers). Each
is an array over the catalogue; what does not depend on the profile is kept per index
generation."""

from __future__ import annotations

import numpy as np

from search_index import arrays
from search_index.profile_inputs import ClientProfile, Features
from search_index.profile_weights import add_weight, facet_mask, specificity, values_named
from search_index.view import IndexView

RUNG_FIRST_STEP_PENALTY, RUNG_STEP_PENALTY, RUNG_STEPS_COUNTED = 1.0, 2.0, 3
AGE_NEAR_PENALTY, AGE_FAR_PENALTY = 1.0, 3.0
AGE_UNKNOWN_PENALTY = AGE_NEAR_PENALTY  # no age given, the intervention serves one band
FOCUS_PENALTY = 5.0
FOCUS_SPECIFICITY_POWER = 2  # how strongly the rarest target groups and barriers count
FOCUS_FACETS = ("target_group", "barrier")  # what an intervention is made for
BARRIER_FACET = "barrier"
BARRIER_MISMATCH_PENALTY = 3.0


def rung_penalty(distance):
    """The penalty for a client's rung `distance` rungs outside the intervention's range
    (a number or an array of them)."""
    counted = np.minimum(distance, RUNG_STEPS_COUNTED)
    return np.where(counted > 0,
                    RUNG_FIRST_STEP_PENALTY + RUNG_STEP_PENALTY * (counted - 1), 0.0)


def rung_classes(view: IndexView, profile: ClientProfile) -> list[tuple[int, int]]:
    if not profile.rung:
        return []
    rungs = view.values.get("ladder_rung", {})
    any_rung = 0
    for mask in rungs.values():
        any_rung |= mask
    placed = facet_mask(view, "ladder_rung", str(profile.rung))
    classes = []
    for distance in range(1, 6):
        near = (facet_mask(view, "ladder_rung", str(profile.rung - distance))
                | facet_mask(view, "ladder_rung", str(profile.rung + distance))) & ~placed
        if near & any_rung:
            classes.append((distance, near & view.live))
        placed |= near
    return classes


def rung_penalties(view: IndexView, profile: ClientProfile) -> np.ndarray:
    """Per document rung_penalty of how many rungs the client's rung lies outside its
    range (0 inside, or when it names no rung). Kept per index generation and rung (a
    few small whole numbers: float32 holds them exactly)."""
    def build() -> np.ndarray:
        penalties = np.zeros(view.size, dtype=np.float32)
        for rung_distance, docs in rung_classes(view, profile):
            penalties[arrays.of_mask(docs, view.size)] = float(rung_penalty(rung_distance))
        return penalties

    return arrays.kept(view, ("rung_penalties", profile.rung), build)


def one_band_only(view: IndexView) -> int:
    """The documents that name exactly one age band."""
    seen_once = seen_more = 0
    for mask in view.values.get("age_band", {}).values():
        seen_more |= seen_once & mask
        seen_once |= mask
    return seen_once & ~seen_more


def only_band(view: IndexView, doc: int) -> str | None:
    """The age band of a document that names exactly one, else None."""
    named = values_named(view, "age_band", doc)
    return named[0] if len(named) == 1 else None


def age_classes(view: IndexView, profile: ClientProfile) -> list[tuple[float, int]]:
    if not profile.age_band:
        return [(AGE_UNKNOWN_PENALTY, one_band_only(view) & view.live)]
    bands = view.values.get("age_band", {})
    own = bands.get(profile.age_band, 0)
    order = list(profile.age_order)
    near = 0
    if profile.age_band in order:
        index = order.index(profile.age_band)
        for neighbour in order[max(index - 1, 0):index + 2]:
            near |= bands.get(neighbour, 0)
    any_age = 0
    for mask in bands.values():
        any_age |= mask
    near_docs = near & ~own & view.live
    far_docs = any_age & ~own & ~near & view.live
    return [(AGE_NEAR_PENALTY, near_docs), (AGE_FAR_PENALTY, far_docs)]


def age_penalties(view: IndexView, profile: ClientProfile) -> np.ndarray:
    """Per document its age penalty (see the module docstring), kept per index
    generation, age band and order of the bands."""
    def build() -> np.ndarray:
        penalties = np.zeros(view.size, dtype=np.float32)
        for penalty, docs in age_classes(view, profile):
            penalties[arrays.of_mask(docs, view.size)] = penalty
        return penalties

    return arrays.kept(view, ("age_penalties", profile.age_band, tuple(profile.age_order)),
                       build)


def focus_weights(view: IndexView) -> np.ndarray:
    """Per document the weight of all its target groups and barriers (each its
    specificity to FOCUS_SPECIFICITY_POWER); kept only as focus_totals."""
    live_count = view.live.bit_count()
    total = np.zeros(view.size)
    for facet in FOCUS_FACETS:
        for value, mask in view.values.get(facet, {}).items():
            named = (mask & view.live).bit_count()
            total += (specificity(named, live_count) ** FOCUS_SPECIFICITY_POWER
                      * arrays.facet_value(view, facet, value))
    return total


def focus_totals(view: IndexView) -> tuple[np.ndarray, np.ndarray]:
    """(focus_weights with 1 where a document names no target group or barrier, 1.0
    where it names some and 0.0 where not): the focus penalty's divisor and its mask."""
    def build() -> tuple[np.ndarray, np.ndarray]:
        total = focus_weights(view)
        return np.where(total > 0, total, 1.0), (total > 0).astype(float)

    return arrays.kept(view, ("focus_totals",), build)


def focus_penalties(view: IndexView, features: Features) -> np.ndarray:
    """Per document FOCUS_PENALTY times the share of its target groups' and barriers'
    weight that the client does not have (0 when the client names neither)."""
    shared = np.zeros(view.size)
    given = False
    for facet, value, _docs, weight in features.weighted:
        if facet in FOCUS_FACETS:
            given = True
            add_weight(shared, view, facet, value, weight ** FOCUS_SPECIFICITY_POWER)
    if not given:
        return np.zeros(view.size)
    for facet, value, _docs, weight in features.implied:
        add_weight(shared, view, facet, value, weight ** FOCUS_SPECIFICITY_POWER)
    total, named = focus_totals(view)
    share = np.minimum(np.divide(shared, total, out=shared), 1.0, out=shared)
    return np.multiply(FOCUS_PENALTY * (1 - share), named, out=share)


def naming_barriers(view: IndexView) -> np.ndarray:
    """Per document whether it names any barrier, kept per index generation."""
    def build() -> np.ndarray:
        named = np.zeros(view.size, dtype=bool)
        for value in view.values.get(BARRIER_FACET, {}):
            named |= arrays.facet_value(view, BARRIER_FACET, value)
        return named

    return arrays.kept(view, ("naming barriers",), build)


def barrier_mismatches(view: IndexView, profile: ClientProfile) -> np.ndarray | None:
    """Per document whether barrier_penalty applies: it names barriers, none of them the
    client's; None when the client names no barrier."""
    if not profile.barriers:
        return None
    mismatched = naming_barriers(view).copy()
    for value in profile.barriers:
        mismatched[arrays.facet_docs(view, BARRIER_FACET, value)] = False
    return mismatched


def other_barriers(view: IndexView, mismatched: np.ndarray | None, doc: int) -> list[str]:
    """The document's barriers when barrier_penalty applies to it, else []."""
    if mismatched is None or not mismatched[doc]:
        return []
    return values_named(view, BARRIER_FACET, doc)


def subtract_barrier_penalty(scores: np.ndarray, mismatched: np.ndarray | None) -> None:
    """scores -= BARRIER_MISMATCH_PENALTY where barrier_mismatches applies."""
    if mismatched is not None:
        # Times 0 or 1, not subtract(where=): the same floats, and a mask over half the
        # catalogue made the masked subtraction seven times slower at 100k.
        scores -= BARRIER_MISMATCH_PENALTY * mismatched
