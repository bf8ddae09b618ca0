"""/bewijskaart: the evidence gap map as a table, and as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flask import Response, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from registry.errors import SearchUnavailable
from registry.query_urls import url_with_query
from registry.request_query import parse_query
from registry.schemas.evidence_map import EvidenceMapQuerySchema
from registry.search.evidence_map import (
    COLUMNS,
    FILTERS,
    ROWS,
    EvidenceMap,
    evidence_map,
    study_designs,
)
from registry.views import bp
from search_index.storage import IndexUnavailable


def cell_search_url(gap_map: EvidenceMap, row: str, column: str, external: bool = False) -> str:
    """The search page with exactly the cell's filters."""
    return url_for("pages.search", _external=external,
                   **{ROWS: row, gap_map.column_facet: column, **gap_map.filters})


def load_map() -> EvidenceMap:
    """The map the query string asks for. Raises ValidationFailed, IndexUnavailable."""
    query = parse_query(EvidenceMapQuerySchema())
    filters = {name: query[name] for name in FILTERS if query[name]}
    try:
        return evidence_map(Path(current_app.config["INDEX_DIR"]), query["columns"], filters,
                            english=str(get_locale()) == "en")
    except IndexUnavailable as error:
        current_app.logger.warning("search index unavailable: %s", error)
        raise SearchUnavailable(_("De bewijskaart is tijdelijk niet beschikbaar.")) from error


@bp.get("/bewijskaart")
def gap_map():
    gap_map = load_map()
    return render_template("evidence_map.html", gap_map=gap_map, columns=COLUMNS,
                           designs=study_designs(english=str(get_locale()) == "en"),
                           cell_url=lambda row, column: cell_search_url(gap_map, row, column),
                           csv_url=url_with_query("pages.gap_map_csv"))


@bp.get("/bewijskaart.csv")
def gap_map_csv():
    gap_map = load_map()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([ROWS, gap_map.column_facet, "interventions", "studies", "best_rating",
                     "search_url"])
    for cell in gap_map.cells:
        writer.writerow([cell.row, cell.column, cell.interventions, cell.studies,
                         cell.best or "", cell_search_url(gap_map, cell.row, cell.column, True)])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="bewijskaart.csv"'})
