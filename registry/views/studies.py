"""The list of studies and the page of one study."""

from flask import render_template, request

from registry.services.catalogue import (
    STUDY_SORTS,
    get_study,
    list_studies,
    public_interventions_of,
)
from registry.views import bp, labels
from registry.views.paging import load_page, read_list_query


@bp.get("/studies")
def studies():
    page, sort = read_list_query(request.args, STUDY_SORTS, default_sort="-year")
    result = load_page(list_studies, page, sort)
    return render_template(
        "studies/list.html", result=result, sort=sort, sort_options=labels.STUDY_SORTS
    )


@bp.get("/studies/<int:study_id>")
def study(study_id: int):
    study = get_study(study_id)
    return render_template(
        "studies/detail.html", study=study, interventions=public_interventions_of(study)
    )
