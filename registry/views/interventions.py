"""The list of published interventions and the page of one intervention."""

from flask import render_template, request

from registry.services.catalogue import (
    INTERVENTION_SORTS,
    get_intervention,
    list_interventions,
    public_decisions,
    public_status,
)
from registry.services.effects import effects_of
from registry.services.vocabularies import terms_by_code
from registry.views import bp, labels
from registry.views.back_links import back_to_results
from registry.views.effects import forest_plots
from registry.views.paging import load_page, read_list_query


@bp.get("/interventies")
def interventions():
    page, sort = read_list_query(request.args, INTERVENTION_SORTS, default_sort="title")
    result = load_page(list_interventions, page, sort)
    return render_template(
        "interventions/list.html",
        result=result,
        sort=sort,
        sort_options=labels.INTERVENTION_SORTS,
    )


@bp.get("/interventies/<slug>")
def intervention(slug: str):
    intervention = get_intervention(slug)
    studies = [link.study for link in intervention.study_links]
    effects = effects_of(intervention)
    return render_template(
        "interventions/detail.html",
        intervention=intervention,
        version=intervention.published_version,
        decision=intervention.current_decision,
        status=public_status(intervention),
        history=public_decisions(intervention),
        study_links=[link for link in intervention.study_links if not link.study.ongoing],
        ongoing=[link.study for link in intervention.study_links if link.study.ongoing],
        findings=[finding for study in studies for finding in study.findings],
        effects=effects,
        forest_plots=forest_plots(effects),
        rungs=terms_by_code("ladder_rung"),
        back=back_to_results(request.args.get("terug")),
    )


@bp.get("/interventies/<slug>/factsheet")
def factsheet(slug: str):
    """A printable one- to two-page summary: level and rationale, effects per domain with
    their forest plots, target group, costs and contact."""
    intervention = get_intervention(slug)
    effects = effects_of(intervention)
    return render_template(
        "interventions/factsheet.html",
        intervention=intervention,
        version=intervention.published_version,
        decision=intervention.current_decision,
        status=public_status(intervention),
        effects=effects,
        forest_plots=forest_plots(effects),
        rungs=terms_by_code("ladder_rung"),
    )
