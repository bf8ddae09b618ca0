"""Weights of the profile score's characteristics (search_index/profile.py): how
specific a characteristic is in the catalogue, and adding a weight to the documents with
a facet value."""

from __future__ import annotations

import math

import numpy as np

from search_index import arrays
from search_index.view import IndexView

# A value that fewer than one document in this many has gets its weight added to those
# documents alone; a commoner one as weight times 0 or 1 over the whole catalogue (a
# scattered update of half the catalogue costs four times a pass over all of it).
SPARSE_VALUE_SHARE = 8


def specificity(named: int, live: int) -> float:
    """The weight of a characteristic that `named` of `live` interventions name."""
    return math.log(1 + live / (1 + named))


def facet_mask(view: IndexView, facet: str, value: str) -> int:
    """The documents with the facet value, as a bitset (deleted ones included)."""
    return view.values.get(facet, {}).get(value, 0)


def values_named(view: IndexView, facet: str, doc: int) -> list[str]:
    """The facet's values a live document names, in name order."""
    return [code for code in sorted(view.values.get(facet, {}))
            if arrays.facet_value(view, facet, code)[doc]]


def add_weight(into: np.ndarray, view: IndexView, facet: str, value: str, weight: float,
                counted: np.ndarray | None = None) -> None:
    """into += weight (times counted) for the documents with the value: either way the
    same floats, since the others would add weight times 0."""
    docs = arrays.facet_docs(view, facet, value)
    if len(docs) * SPARSE_VALUE_SHARE < view.size:
        into[docs] += weight if counted is None else weight * counted[docs]
    elif counted is None:
        into += weight * arrays.facet_value(view, facet, value)
    else:
        into += weight * counted * arrays.facet_value(view, facet, value)
