"""Linking studies to published interventions by hand (part of the imports blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import permissions as perm
from registry.errors import DomainError
from registry.extensions import db
from registry.schemas.common import whole_number
from registry.services.study_links import (
    RELATIONS,
    find_studies,
    link_study,
    published_choices,
    published_id,
    unlink_study,
)
from registry.views.imports import bp


def _page(errors: dict[str, list[str]] | None = None, status: int = 200,
          study_id: int | None = None):
    """The page; with errors, those of the link asked for study `study_id`, shown at that
    study's form."""
    query = (request.values.get("q") or "").strip()
    studies = find_studies(query)
    page = render_template("imports/links.html", query=query, studies=studies,
                           choices=published_choices() if studies else [], relations=RELATIONS,
                           errors=errors or {}, error_study=study_id, values=request.form)
    return page, status


@bp.get("/koppelingen")
@perm.permission_required(perm.can_link_studies)
def links():
    return _page()


def _id(name: str) -> int | None:
    return whole_number(request.form.get(name))


@bp.post("/koppelingen")
@perm.permission_required(perm.can_link_studies)
def link():
    study_id, intervention_id = _id("study_id"), published_id(request.form.get("intervention"))
    errors = {}
    if study_id is None:
        errors["study_id"] = [_("Kies een studie.")]
    if intervention_id is None:
        errors["intervention"] = [_("Kies een gepubliceerde interventie: typ een deel van de "
                                    "titel en kies uit de lijst.")]
    if errors:
        return _page(errors, 422, study_id)
    try:
        link_study(study_id, intervention_id, request.form.get("relation", ""))
    except DomainError as error:  # linked already, unknown, unpublished: the form again
        db.session.rollback()
        return _page({d["field"]: d["messages"] for d in error.details}, error.status,
                     study_id)
    flash(_("De studie is gekoppeld."))
    return redirect(url_for("imports.links", q=request.form.get("q", "")))


@bp.post("/koppelingen/<int:link_id>/verwijderen")
@perm.permission_required(perm.can_link_studies)
def unlink(link_id: int):
    try:
        unlink_study(link_id)
    except DomainError as error:  # under assessment, or gone: the page with the reason
        db.session.rollback()
        return _page({"link": [error.message]}, error.status)
    flash(_("De koppeling is verwijderd."))
    return redirect(url_for("imports.links", q=request.form.get("q", "")))
