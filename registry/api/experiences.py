"""GET /api/v1/interventions/<slug>/experiences: the published practice experiences of a
published intervention."""

from __future__ import annotations

from registry.api import bp
from registry.api.common import PathParameter, operation
from registry.schemas.experiences import ExperienceListSchema
from registry.services import catalogue, experiences


@bp.get("/interventions/<slug>/experiences")
@operation(
    "Ervaringen uit de praktijk bij een gepubliceerde interventie",
    response=ExperienceListSchema,
    path=(PathParameter("slug", "string", "De slug van de interventie."),),
    errors=(404,),
)
def list_experiences(slug: str):
    """How municipalities carried the intervention out, as the secretary published it;
    not evidence, and not counted in the recognition."""
    intervention = catalogue.get_intervention(slug)
    return ExperienceListSchema().dump({
        "intervention": intervention.slug,
        "experiences": experiences.published_experiences(intervention.id)})
