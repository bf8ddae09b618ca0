"""The harm warnings of result pages (registry/services/effects.harmful_domains), kept per
index generation: working them out is a query and the rating rules for every hit, a
third of a search page's time at 10k interventions, and every change they depend on (a
link, study, finding or the current decision) rewrites the intervention's document, so
a new generation starts afresh.

Only an intervention with findings can have a harm rating, and its document names their
outcome domains (the facet outcome_domain): the others are answered without a query, so
a page of results without findings, seen for the first time, costs no SQL here."""

from __future__ import annotations

import threading

from registry.services.effects import harmful_domains
from search_index import arrays, bitsets
from search_index.view import IndexView, generation_key

MAX_KEPT = 50_000  # interventions per generation; beyond it the cache starts again
FINDINGS_FACET = "outcome_domain"  # the outcome domains of an intervention's findings
_kept: dict[tuple, dict[int, tuple[str, ...]]] = {}
_lock = threading.Lock()


def harm_of(searcher, view: IndexView, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Per intervention the outcome domains rated (possibly) negative."""
    generation = generation_key(searcher)
    with _lock:
        known = _kept.get(generation)
        if known is None:
            _kept.clear()
            known = _kept[generation] = {}
        missing = [i for i in ids if i not in known]
    if missing:
        findings = _ids_with_findings(view)
        asked = [i for i in missing if i in findings]
        found = harmful_domains(asked) if asked else {}
        with _lock:
            if len(known) > MAX_KEPT:
                known.clear()
            known.update((i, tuple(found.get(i, ()))) for i in missing)
    return {i: known.get(i, ()) for i in ids}


def _ids_with_findings(view: IndexView) -> frozenset[int]:
    """The interventions whose documents in this view name an outcome domain of a finding
    (a deleted document's too: asking about one more costs a query, not a warning); kept
    on the view, which lasts as long as its index generation."""
    def build() -> frozenset[int]:
        mask = 0
        for value_mask in view.values.get(FINDINGS_FACET, {}).values():
            mask |= value_mask
        return frozenset(view.ids[doc] for doc in bitsets.to_ids(mask, view.size))

    return arrays.kept(view, ("ids with findings",), build)
