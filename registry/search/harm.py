"""The harm warnings of result pages (registry/services/effects.harmful_domains), kept per
index generation: working them out is a query and the rating rules for every hit, a
third of a search page's time at 10k interventions, and every change they depend on (a
link, study, finding or the current decision) rewrites the intervention's document, so
a new generation starts afresh."""

from __future__ import annotations

import threading

from registry.services.effects import harmful_domains
from search_index.view import generation_key

MAX_KEPT = 50_000  # interventions per generation; beyond it the cache starts again
_kept: dict[tuple, dict[int, tuple[str, ...]]] = {}
_lock = threading.Lock()


def harm_of(searcher, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Per intervention the outcome domains rated (possibly) negative."""
    generation = generation_key(searcher)
    with _lock:
        known = _kept.get(generation)
        if known is None:
            _kept.clear()
            known = _kept[generation] = {}
        missing = [i for i in ids if i not in known]
    if missing:
        found = harmful_domains(missing)
        with _lock:
            if len(known) > MAX_KEPT:
                known.clear()
            known.update((i, tuple(found.get(i, ()))) for i in missing)
    return {i: known.get(i, ()) for i in ids}
