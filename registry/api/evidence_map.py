"""GET /api/v1/evidence-map: the evidence gap map (registry/search/evidence_map.py)."""

from __future__ import annotations

from registry.api import bp
from registry.api.common import operation
from registry.schemas.evidence_map import EvidenceMapQuerySchema, EvidenceMapSchema
from registry.search.evidence_map import ROWS
from registry.views.evidence_map import cell_search_url, load_map


@bp.get("/evidence-map")
@operation(
    "De bewijskaart: uitkomstdomeinen × doelgroepen, belemmeringen of treden",
    response=EvidenceMapSchema,
    query=EvidenceMapQuerySchema,
    errors=(422, 503),
)
def get_evidence_map():
    """Per cell the interventions, the studies behind them, the strongest status and
    the search that lists exactly them."""
    gap_map = load_map()
    return EvidenceMapSchema().dump({
        "rows": [{"code": code, "label": label} for code, label in gap_map.rows],
        "columns": [{"code": code, "label": label} for code, label in gap_map.columns],
        "row_facet": ROWS,
        "column_facet": gap_map.column_facet,
        "cells": [{**cell.__dict__, "search_url": cell_search_url(
            gap_map, cell.row, cell.column, external=True)} for cell in gap_map.cells],
    })
