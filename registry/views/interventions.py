"""The list of published interventions and the page of one intervention."""

from flask import render_template, request
from flask_login import current_user

from registry import permissions as perm
from registry.services import experiences, guides
from registry.services.catalogue import (
    INTERVENTION_SORTS,
    get_intervention,
    list_interventions,
    public_decisions,
    public_status,
)
from registry.services.effects import effects_of
from registry.services.vocabularies import terms_by_code
from registry.usage.counting import count_status
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


def _record(intervention) -> dict:
    """What the intervention page and its fact sheet both show."""
    effects = effects_of(intervention)
    return {
        "intervention": intervention,
        "version": intervention.published_version,
        "decision": intervention.current_decision,
        "status": public_status(intervention),
        "effects": effects,
        "forest_plots": forest_plots(effects),
        "rungs": terms_by_code("ladder_rung"),
    }


def _agreed(decision) -> dict[int, str]:
    """Study id -> the panel's agreed rating in the published decision."""
    return {a.study_id: a.rating for a in decision.study_appraisals} if decision else {}


@bp.get("/interventies/<slug>")
def intervention(slug: str):
    intervention = get_intervention(slug)
    count_status("intervention_view", public_status(intervention))
    links = intervention.study_links
    return render_template(
        "interventions/detail.html",
        **_record(intervention),
        history=public_decisions(intervention),
        study_links=[link for link in links if not link.study.ongoing],
        ongoing=[link.study for link in links if link.study.ongoing],
        findings=[finding for link in links for finding in link.study.findings],
        appraisals=_agreed(intervention.current_decision),
        can_manage_external=perm.can_manage_external_ratings(current_user, intervention),
        experiences=experiences.published_experiences(intervention.id),
        can_share_experience=perm.can_share_experiences(current_user),
        guides=guides.guides_for(intervention_id=intervention.id),
        back=back_to_results(request.args.get("terug")),
    )


@bp.get("/interventies/<slug>/factsheet")
def factsheet(slug: str):
    """A printable one- to two-page summary: level and rationale, effects per domain with
    their forest plots, target group, costs and contact."""
    intervention = get_intervention(slug)
    count_status("factsheet_download", public_status(intervention))
    return render_template("interventions/factsheet.html", **_record(intervention))
