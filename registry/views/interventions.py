"""The list of published interventions and the page of one intervention."""

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from registry import permissions as perm
from registry.page_cache import KeptPage, kept_page
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
    can_manage_external = perm.can_manage_external_ratings(current_user)
    can_share_experience = perm.can_share_experiences(current_user)
    key = ("intervention", slug, str(get_locale()), request.host_url,
           can_manage_external, can_share_experience)
    page = kept_page(key, lambda: _intervention_record(
        slug, can_manage_external, can_share_experience))
    count_status("intervention_view", page.status)
    return render_template("interventions/detail.html", page=page,
                           back=back_to_results(request.args.get("terug")))


def _intervention_record(slug: str, can_manage_external: bool,
                         can_share_experience: bool) -> KeptPage:
    """The intervention's page as every visitor with these permissions sees it."""
    intervention = get_intervention(slug)
    links = intervention.study_links
    record = _record(intervention)
    body = render_template(
        "interventions/_record.html",
        **record,
        history=public_decisions(intervention),
        study_links=[link for link in links if not link.study.ongoing],
        ongoing=[link.study for link in links if link.study.ongoing],
        findings=[finding for link in links for finding in link.study.findings],
        appraisals=_agreed(intervention.current_decision),
        can_manage_external=can_manage_external,
        experiences=experiences.published_experiences(intervention.id),
        can_share_experience=can_share_experience,
        guides=guides.guides_for(intervention_id=intervention.id),
    )
    # An autoescaping template's output.
    return KeptPage(record["version"].title, record["status"], Markup(body))  # noqa: S704


@bp.get("/interventies/<slug>/factsheet")
def factsheet(slug: str):
    """A printable one- to two-page summary: level and rationale, effects per domain with
    their forest plots, target group, costs and contact."""
    intervention = get_intervention(slug)
    count_status("factsheet_download", public_status(intervention))
    return render_template("interventions/factsheet.html", **_record(intervention))
