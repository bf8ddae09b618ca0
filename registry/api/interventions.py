"""GET /api/v1/interventions, /api/v1/interventions/<slug> and its /evidence: published
ones only."""

from __future__ import annotations

from registry.api import bp
from registry.api.common import PathParameter, operation, page_envelope, page_query, parse_query
from registry.schemas.effects import EvidenceSchema
from registry.schemas.interventions import (
    InterventionDetailSchema,
    InterventionPageSchema,
    InterventionQuerySchema,
)
from registry.services import catalogue
from registry.services.appraisal import published_appraisals
from registry.services.effects import effects_of


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


@bp.get("/interventions/<slug>/evidence")
@operation(
    "De effecten van een gepubliceerde interventie per uitkomstdomein en meetmoment",
    response=EvidenceSchema,
    path=(PathParameter("slug", "string", "De slug van de interventie."),),
    errors=(404,),
)
def get_evidence(slug: str):
    """Ratings proposed from the findings, pooled estimates and every finding on one
    scale (Hedges' g), per outcome domain and follow-up horizon."""
    intervention = catalogue.get_intervention(slug)
    return EvidenceSchema().dump({"intervention": intervention.slug,
                                  "domains": effects_of(intervention),
                                  "study_appraisals": published_appraisals(intervention)})
