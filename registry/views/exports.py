"""Result exports: every search (/zoeken/export.csv|json) and profile search
(/zoeken/profiel/export.csv|json) downloads its matches, in the page's order, with
status, score, reasons and URLs. At most EXPORT_CAP rows; the JSON says so beside the
rows, and the pages say it above the download links."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from registry.csv_cells import neutralise
from registry.evidence import LABELS
from registry.schemas.search import client_profile
from registry.search import labels, service
from registry.search.documents import FACETS
from registry.search.terms import term_labels
from registry.views import bp
from registry.views.search import EXPORT_CAP, load_profile_args, load_search_args, search_root
from search_index.query import SearchRequest

SEARCH_FIELDS = ("rank", "slug", "title", "status", "status_label", "score", "harmful_domains",
                 "url")
PROFILE_FIELDS = ("rank", "slug", "title", "status", "status_label", "score", "fits",
                  "mismatches", "not_named", "goal_matched", "explanation", "url")


def _base(rank: int, item) -> dict:
    hit = item.intervention
    return {"rank": rank, "slug": hit.slug, "title": hit.published_version.title,
            "status": hit.status, "status_label": str(LABELS.get(hit.status, hit.status)),
            "score": round(item.score, 4),
            "url": url_for("pages.intervention", slug=hit.slug, _external=True)}


def _cell(value):
    """A CSV cell: lists joined, text that a spreadsheet would run as a formula
    neutralised (titles and explanations come from the interventions' owners)."""
    if isinstance(value, list):
        value = "; ".join(value)
    return neutralise(value) if isinstance(value, str) else value


def _send(kind: str, name: str, fields: tuple[str, ...], rows: list[dict], total: int):
    if kind == "json":
        body = {"total": total, "exported": len(rows), "cap": EXPORT_CAP,
                "truncated": total > len(rows), "items": rows}
        return Response(json.dumps(body, ensure_ascii=False, indent=1),
                        mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.get("/zoeken/export.<any(csv, json):kind>")
def search_export(kind: str):
    args = load_search_args()
    filters = {f: args[f] for f in FACETS if args[f]}
    result, items = service.search(search_root(), SearchRequest(
        args["q"], filters, args["sort"], 1, EXPORT_CAP, suggest=False), snippets=False)
    rows = [{**_base(rank, item), "harmful_domains": list(item.intervention.harmful)}
            for rank, item in enumerate(items, 1)]
    return _send(kind, _("zoekresultaten"), SEARCH_FIELDS, rows, result.total)


@bp.get("/zoeken/profiel/export.<any(csv, json):kind>")
def profile_export(kind: str):
    args = load_profile_args()
    profile = client_profile(args)
    terms = term_labels(str(get_locale()))  # the reasons in the reader's language
    rows, total = [], 0
    if profile.characteristics() or profile.goal:
        result, items = service.search_profile(search_root(), profile, 1, EXPORT_CAP)
        total = result.total

        def named(reasons) -> list[str]:
            return [labels.reason_label(facet, value, terms) for facet, value in reasons]

        rows = [{**_base(rank, item), "fits": named(item.fits),
                 "mismatches": named(item.mismatches), "not_named": named(item.unaddressed),
                 "goal_matched": item.goal_matched,
                 "explanation": labels.explanation_of(item, terms)}
                for rank, item in enumerate(items, 1)]
    return _send(kind, _("profielresultaten"), PROFILE_FIELDS, rows, total)
