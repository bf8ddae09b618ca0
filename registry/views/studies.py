"""The list of studies (searchable, with facets) and the page of one study."""

from flask import current_app, render_template, request
from flask_babel import gettext as _

from registry.errors import NotFound
from registry.search.kinds import STUDIES
from registry.search.study_service import SEARCH_SORTS, facet_groups, search_studies
from registry.services.catalogue import (
    STUDY_SORTS,
    get_study,
    list_studies,
    public_interventions_of,
)
from registry.views import bp, labels
from registry.views.paging import MAX_PAGE, load_page, read_list_query
from search_index.query import MAX_QUERY_CHARS
from search_index.storage import IndexUnavailable


@bp.get("/studies")
def studies():
    text = request.args.get("q", "")[:MAX_QUERY_CHARS].strip()
    filters = {name: [v[:60] for v in request.args.getlist(name) if v]
               for name in STUDIES.facets if request.args.getlist(name)}
    searching = bool(text or filters)
    sorts = [s for s in SEARCH_SORTS if text or s != "relevance"] if searching else STUDY_SORTS
    page, sort = read_list_query(request.args, sorts,
                                 default_sort="relevance" if text else "-year")
    index_dir = current_app.config["INDEX_DIR"]
    facets, unavailable = {}, False
    try:
        if searching:
            result, facets = search_studies(index_dir, text, filters, sort,
                                            min(page, MAX_PAGE), current_app.config["PAGE_SIZE"])
        else:
            _first, facets = search_studies(index_dir, "", {}, "-year", 1, 1)
    except IndexUnavailable as error:
        current_app.logger.warning("study index unavailable: %s", error)
        unavailable = True
    if not searching or unavailable:
        result = load_page(list_studies, page, sort if sort in STUDY_SORTS else "-year")
    elif page > result.pages:
        raise NotFound(_("Pagina %(page)s bestaat niet; de laatste pagina is %(last)s.",
                         page=page, last=result.pages))
    return render_template(
        "studies/list.html", result=result, sort=sort, q=text, filters=filters,
        groups=facet_groups(facets) if facets else [], unavailable=unavailable and searching,
        sort_options={key: labels.STUDY_SEARCH_SORTS[key] for key in sorts} if searching
        else labels.STUDY_SORTS,
        params={"q": text or None, **filters},
        pager_params={"sorteer": sort, "q": text or None, **filters},
    ), 503 if unavailable and searching else 200


@bp.get("/studies/<int:study_id>")
def study(study_id: int):
    study = get_study(study_id)
    return render_template(
        "studies/detail.html", study=study, interventions=public_interventions_of(study)
    )
