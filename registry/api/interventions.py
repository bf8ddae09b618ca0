"""GET /api/v1/interventions and /api/v1/interventions/<slug>: published ones only."""

from __future__ import annotations

from registry.api import bp
from registry.api.common import PathParameter, operation, page_envelope, page_query, parse_query
from registry.schemas.interventions import (
    InterventionDetailSchema,
    InterventionPageSchema,
    InterventionQuerySchema,
)
from registry.services import catalogue


@bp.get("/interventions")
@operation(
    "Gepubliceerde interventies, per pagina",
    response=InterventionPageSchema,
    query=InterventionQuerySchema,
    errors=(422,),
)
def list_interventions():
    """One page of published interventions."""
    query = parse_query(page_query(InterventionQuerySchema))
    page = catalogue.list_interventions(**query)
    envelope = page_envelope(page, "api.list_interventions", sort=query["sort"])
    return InterventionPageSchema().dump(envelope)


@bp.get("/interventions/<slug>")
@operation(
    "Eén gepubliceerde interventie met besluiten en studies",
    response=InterventionDetailSchema,
    path=(PathParameter("slug", "string", "De slug van de interventie."),),
    errors=(404,),
)
def get_intervention(slug: str):
    """The published version of one intervention."""
    return InterventionDetailSchema().dump(catalogue.get_intervention(slug))
