"""GET /api/v1/studies and /api/v1/studies/<id>."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _

from registry.api import bp
from registry.api.common import PathParameter, operation, page_envelope, page_query, parse_query
from registry.api.search import search_unavailable
from registry.errors import ValidationFailed
from registry.schemas.studies import StudyPageSchema, StudyQuerySchema, StudySchema
from registry.search.kinds import STUDIES
from registry.search.study_service import SEARCH_SORTS, facet_groups, search_studies
from registry.services import catalogue
from search_index.storage import IndexUnavailable


@bp.get("/studies")
@operation(
    "Studies, per pagina",
    response=StudyPageSchema,
    query=StudyQuerySchema,
    errors=(422, 503),
)
def list_studies():
    """One page of studies, newest first unless sorted otherwise; with `q` or a filter,
    a search of the study index with facet counts."""
    query = parse_query(page_query(StudyQuerySchema))
    text = (query.pop("q", None) or "").strip()
    filters = {name: values for name in STUDIES.facets if (values := query.pop(name, None))}
    if not (text or filters):
        if query["sort"] == "relevance":
            query["sort"] = "-year"
        page = catalogue.list_studies(**query)
        envelope = page_envelope(page, "api.list_studies", sort=query["sort"])
        return StudyPageSchema().dump({**envelope, "facets": []})
    sort = "relevance" if text and "sort" not in request.args else query["sort"]
    if sort not in SEARCH_SORTS or (sort == "relevance" and not text):
        message = _("Bij zoeken kan de lijst op relevance (met q), -year of title.")
        raise ValidationFailed(message, [{"field": "sort", "messages": [message]}])
    try:
        page, facets = search_studies(current_app.config["INDEX_DIR"], text, filters, sort,
                                      query["page"], query["per_page"])
    except IndexUnavailable as error:
        raise search_unavailable(error) from error
    envelope = page_envelope(page, "api.list_studies", sort=sort, q=text or None, **filters)
    return StudyPageSchema().dump({**envelope, "facets": facet_groups(facets)})


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
