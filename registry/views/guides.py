"""Werkwijzers: the public list, a guide, its history with the differences, and the
editors' form (secretary or admin) that saves a new version."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import DomainError
from registry.extensions import db
from registry.guides_markdown import render_markdown
from registry.models import Intervention, InterventionVersion
from registry.schemas.guides import LINKED_FACETS
from registry.search import labels
from registry.search.terms import term_labels
from registry.services import guides
from registry.services.vocabularies import terms_by_code
from registry.views import bp


def _terms() -> dict:
    return term_labels(str(get_locale()))


def _phase_terms() -> list[tuple[str, str]]:
    terms = sorted(terms_by_code("phase").values(), key=lambda term: term.position)
    return [(term.code, term.label(str(get_locale()))) for term in terms]


@bp.get("/werkwijzers")
def guide_list():
    by_phase: dict[str, list] = {}
    for guide in guides.current_guides():
        by_phase.setdefault(guide.current.phase, []).append(guide)
    phases = [(code, label, by_phase[code]) for code, label in _phase_terms() if code in by_phase]
    return render_template("guides/list.html", phases=phases,
                           can_edit=perm.can_edit_guides(current_user))


@bp.get("/werkwijzers/<slug>")
def guide(slug: str):
    found = guides.guide_by_slug(slug)
    version = found.current
    terms = _terms()
    interventions = db.session.scalars(
        select(Intervention).join(InterventionVersion,
                                  InterventionVersion.id == Intervention.published_version_id)
        .where(Intervention.id.in_(version.intervention_ids)).order_by(InterventionVersion.title))
    facet_labels = [(str(labels.FACET_LABELS.get(f, f)), labels.value_label(f, c, terms))
                    for f, _sep, c in (pair.partition(":") for pair in version.facets)]
    return render_template("guides/guide.html", guide=found, version=version,
                           html=render_markdown(version.body), interventions=list(interventions),
                           facet_labels=facet_labels, phase=dict(_phase_terms()).get(
                               version.phase, version.phase),
                           can_edit=perm.can_edit_guides(current_user))


@bp.get("/werkwijzers/<slug>/versies")
def guide_history(slug: str):
    found = guides.guide_by_slug(slug)
    described = _described(found)
    history = [(v, guides.version_diff(found, v.number, described))
               for v in reversed(found.versions)]
    return render_template("guides/history.html", guide=found, history=history)


def _described(guide) -> Callable:
    """A version as the history compares it: in lines, with labels and titles where the
    version holds codes and ids (its phase, characteristics and interventions)."""
    terms, phases = _terms(), dict(_phase_terms())
    ids = {i for version in guide.versions for i in version.intervention_ids or []}
    titles = dict(db.session.execute(
        select(Intervention.id, InterventionVersion.title)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .where(Intervention.id.in_(ids))).all()) if ids else {}

    def described(version) -> list[str]:
        facets = [f"{labels.FACET_LABELS.get(f, f)}: {labels.value_label(f, c, terms)}"
                  for f, _sep, c in (pair.partition(":") for pair in version.facets)]
        linked = sorted(titles.get(i, f"#{i}") for i in version.intervention_ids or [])
        return [f"# {version.title}",
                _("Fase: %(phase)s", phase=phases.get(version.phase, version.phase)),
                _("Kenmerken: %(facets)s", facets="; ".join(facets) or "-"),
                _("Interventies: %(titles)s", titles="; ".join(linked) or "-"),
                "", *version.body.splitlines()]

    return described


def _form(guide=None, errors: dict | None = None, status: int = 200, values=None):
    version = guide.current if guide else None
    values = values or ({"title": version.title, "phase": version.phase, "body": version.body,
                         "facets": version.facets, "intervention_ids": version.intervention_ids}
                        if version else {"facets": [], "intervention_ids": []})
    terms = _terms()
    options = [(facet, str(labels.FACET_LABELS.get(facet, facet)),
                sorted(terms.get(facet, {}).items(), key=lambda item: item[1]))
               for facet in LINKED_FACETS if facet != "phase"]
    published = db.session.execute(
        select(Intervention.id, InterventionVersion.title)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .order_by(InterventionVersion.title)).all()
    page = render_template("guides/form.html", guide=guide, values=values, errors=errors or {},
                           phases=_phase_terms(), options=options, published=published)
    return page, status


def _submitted() -> dict:
    return {"title": request.form.get("title", ""), "phase": request.form.get("phase", ""),
            "body": request.form.get("body", ""), "facets": request.form.getlist("facets"),
            "intervention_ids": request.form.getlist("intervention_ids"),
            "note": request.form.get("note") or None}


def _based_on() -> int | None:
    """The version the edit form showed (none from an older page without the field)."""
    raw = request.form.get("based_on", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _save(guide=None):
    values = _submitted()
    before = guide.current.number if guide else None
    try:
        saved = guides.save_guide(current_user, values, guide, _based_on())
    except DomainError as error:
        db.session.rollback()
        details = {d["field"].split(".")[0]: d["messages"] for d in error.details or []}
        return _form(guide, details or {"body": [error.message]}, error.status, values)
    if saved.current.number == before:
        flash(_("Er is niets veranderd; er is geen nieuwe versie gemaakt."))
    else:
        flash(_("De werkwijzer is opgeslagen als versie %(number)s.",
                number=saved.current.number))
    return redirect(url_for("pages.guide", slug=saved.slug))


@bp.route("/werkwijzers/nieuw", methods=["GET", "POST"])
@perm.permission_required(perm.can_edit_guides)
def new_guide():
    return _save() if request.method == "POST" else _form()


@bp.route("/werkwijzers/<slug>/bewerken", methods=["GET", "POST"])
@perm.permission_required(perm.can_edit_guides)
def edit_guide(slug: str):
    found = guides.guide_by_slug(slug)
    return _save(found) if request.method == "POST" else _form(found)
