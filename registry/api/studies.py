"""GET /api/v1/studies and /api/v1/studies/<id>."""

from __future__ import annotations

from registry.api import bp
from registry.api.common import PathParameter, operation, page_envelope, page_query, parse_query
from registry.schemas.studies import StudyPageSchema, StudyQuerySchema, StudySchema
from registry.services import catalogue


@bp.get("/studies")
@operation(
    "Studies, per pagina",
    response=StudyPageSchema,
    query=StudyQuerySchema,
    errors=(422,),
)
def list_studies():
    """One page of studies, newest first unless sorted otherwise."""
    query = parse_query(page_query(StudyQuerySchema))
    page = catalogue.list_studies(**query)
    return StudyPageSchema().dump(page_envelope(page, "api.list_studies", sort=query["sort"]))


@bp.get("/studies/<int:study_id>")
@operation(
    "Eén studie met auteurs en bevindingen",
    description="Het antwoord kan ongewijzigd terug worden geïmporteerd (registry-JSON).",
    response=StudySchema,
    path=(PathParameter("study_id", "integer", "Het id van de studie."),),
    errors=(404,),
)
def get_study(study_id: int):
    """One study with its authors, findings and linked interventions."""
    return StudySchema().dump(catalogue.get_study(study_id))
