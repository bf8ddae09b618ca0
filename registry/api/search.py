"""GET /api/v1/search (text and facets) and /api/v1/search/profile (client profile)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from registry.api import bp
from registry.api.common import operation, page_query, parse_query
from registry.errors import SearchUnavailable
from registry.ops.metrics import search_timer
from registry.schemas.common import dutch_label
from registry.schemas.search import (
    ProfileQuerySchema,
    ProfileResultSchema,
    SearchQuerySchema,
    SearchResultSchema,
    client_profile,
)
from registry.search import labels, service
from registry.search.documents import FACETS
from registry.search.terms import term_labels
from search_index.query import SearchRequest
from search_index.storage import IndexUnavailable


def search_unavailable(error: Exception) -> SearchUnavailable:
    current_app.logger.warning("search index unavailable: %s", error)
    return SearchUnavailable(_("De zoekfunctie is tijdelijk niet beschikbaar."))


def _reasons(pairs: list, terms: dict) -> list[dict]:
    return [{"facet": f, "value": v, "label": labels.reason_label(f, v, terms)} for f, v in pairs]


def _item(item: service.Item, terms: dict) -> dict:
    intervention = item.intervention
    return {
        "id": intervention.id,
        "slug": intervention.slug,
        "title": intervention.published_version.title,
        "status": item.status,
        "status_label": dutch_label(item.status),
        "snippet": str(item.snippet),
        "score": item.score,
        "url": url_for("pages.intervention", slug=intervention.slug, _external=True),
        "fits": _reasons(item.fits, terms),
        "mismatches": _reasons(item.mismatches, terms),
        "unaddressed": _reasons(item.unaddressed, terms),
        "explanation": item.explanation or None,
        "harmful_domains": list(intervention.harmful),
    }


@bp.get("/search")
@operation(
    "Zoeken met tekst en facetten",
    response=SearchResultSchema,
    query=SearchQuerySchema,
    description="OF binnen een facet, EN tussen facetten; tellingen zonder eigen filter.",
    errors=(422, 503),
)
def search():
    """Faceted full-text search over published interventions."""
    args = parse_query(page_query(SearchQuerySchema))
    filters = {f: args[f] for f in FACETS if args[f]}
    search_request = SearchRequest(args["q"], filters, args["sort"], args["page"], args["per_page"])
    try:
        with search_timer("text"):
            result, items = service.search(Path(current_app.config["INDEX_DIR"]), search_request)
    except IndexUnavailable as error:
        raise search_unavailable(error) from error
    terms = term_labels("nl")
    return SearchResultSchema().dump({
        "total": result.total,
        "page": args["page"],
        "per_page": args["per_page"],
        "items": [_item(i, terms) for i in items],
        "facets": labels.facet_groups(result.facets, terms),
        "suggestion": result.suggestion,
        "relaxations": [vars(r) for r in result.relaxations],
    })


@bp.get("/search/profile")
@operation(
    "Zoeken op cliëntprofiel",
    response=ProfileResultSchema,
    query=ProfileQuerySchema,
    description="Gerangschikt op passendheid, bewijs en tekst (zie README, Search).",
    errors=(422, 503),
)
def search_profile():
    """Interventions ranked for a client profile, each with what fits and what not."""
    args = parse_query(page_query(ProfileQuerySchema))
    profile = client_profile(args)
    root = Path(current_app.config["INDEX_DIR"])
    try:
        with search_timer("profile"):
            result, items = service.search_profile(root, profile, args["page"], args["per_page"])
    except IndexUnavailable as error:
        raise search_unavailable(error) from error
    terms = term_labels("nl")
    for item in items:
        item.explanation = labels.explanation_of(item, terms)
    return ProfileResultSchema().dump({
        "total": result.total,
        "page": args["page"],
        "per_page": args["per_page"],
        "items": [_item(i, terms) for i in items],
    })
