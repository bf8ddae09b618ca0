"""Saved client profiles of a professional: save one from the profile search (with a
label checked for personal data), the list, one profile with what is new or re-rated
since the last visit, and delete."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from registry import permissions as perm
from registry.errors import DomainError, NotFound, ValidationFailed, details_from_marshmallow
from registry.extensions import csrf, db
from registry.models import Intervention
from registry.schemas.search import ProfileQuerySchema, query_dict
from registry.search import labels, service
from registry.search.terms import term_labels
from registry.services import profile_digest, saved_profiles
from registry.views import bp
from registry.views.search import search_root
from search_index.storage import IndexUnavailable


def _load(values: MultiDict) -> dict:
    schema = ProfileQuerySchema(max_per_page=100, default_per_page=20)
    try:
        return schema.load(query_dict(values, schema))
    except ValidationError as error:
        raise ValidationFailed(_("Ongeldige invoer."), details_from_marshmallow(
            error.messages)) from None


def _characteristics(query: dict) -> list[tuple[str, str]]:
    terms = term_labels(str(get_locale()))
    facet_of = {"rung": "ladder_rung"}
    return [(str(labels.FACET_LABELS.get(facet_of.get(k, k), k)),
             labels.value_label(facet_of.get(k, k), v, terms))
            for k, values in query.items() for v in values]


def _form(args: dict, errors: dict | None = None, status: int = 200):
    query = saved_profiles.profile_query(args)
    page = render_template("search/save_profile.html", query=query, errors=errors or {},
                           characteristics=_characteristics(query),
                           label=request.form.get("label", ""))
    return page, status


@bp.get("/zoeken/profiel/bewaren")
@perm.permission_required(perm.can_save_profiles)
def save_profile_form():
    return _form(_load(request.args))


@bp.post("/zoeken/profiel/bewaren")
@perm.permission_required(perm.can_save_profiles)
def save_profile():
    args = _load(request.form)
    try:
        profile = saved_profiles.save_profile(current_user, request.form.get("label", ""), args)
    except DomainError as error:
        db.session.rollback()
        details = {d["field"]: d["messages"] for d in error.details or []}
        return _form(args, details or {"label": [error.message]}, error.status)
    flash(_("Het profiel is bewaard."))
    return redirect(url_for("pages.saved_profile", profile_id=profile.id))


@bp.get("/mijn/profielen")
@perm.permission_required(perm.can_save_profiles)
def saved_profiles_list():
    listed = [(p, _characteristics(p.query)) for p in current_user.saved_profiles]
    return render_template("search/saved_profiles.html", profiles=listed,
                           subscribed=profile_digest.is_subscribed(current_user))


@bp.post("/mijn/profielen/melding")
@perm.permission_required(perm.can_save_profiles)
def digest_setting():
    """Opt in to (aan=1) or out of (aan=0) the weekly e-mail."""
    if request.form.get("aan") == "1":
        profile_digest.subscribe(current_user)
        flash(_("U krijgt voortaan wekelijks een e-mail als er iets nieuw is."))
    else:
        profile_digest.unsubscribe(current_user.id)
        flash(_("U krijgt geen wekelijkse e-mail meer."))
    return redirect(url_for("pages.saved_profiles_list"))


@bp.route("/profielen/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority; mail clients post here in one click
def unsubscribe_digest(token: str):
    """From the link in a digest, without signing in: GET asks, POST unsubscribes."""
    user_id = profile_digest.user_of_token(token)
    if user_id is None:
        raise NotFound(_("Deze afmeldlink is ongeldig."))
    if request.method == "POST":
        profile_digest.unsubscribe(user_id)
    return render_template("search/unsubscribe.html", token=token,
                           done=request.method == "POST")


@bp.get("/mijn/profielen/<int:profile_id>")
@perm.permission_required(perm.can_save_profiles)
def saved_profile(profile_id: int):
    profile = saved_profiles.own_profile(current_user, profile_id)
    previous = profile.last_visited_at
    try:
        changed = saved_profiles.changed_since(
            service.saved_profile_ids(search_root(), profile.query), previous)
        unavailable = False
    except IndexUnavailable:
        changed, unavailable = {}, True
    if not unavailable:  # else what is new waits for a visit that can show it
        saved_profiles.visit(profile)
    interventions = {i.id: i for i in db.session.scalars(
        db.select(Intervention).where(Intervention.id.in_(list(changed))))}
    news = sorted(((interventions[i], kind) for i, kind in changed.items() if i in interventions),
                  key=lambda pair: pair[0].title)
    search_url = url_for("pages.search_profile") + "?" + urlencode(
        [(k, v) for k, values in profile.query.items() for v in values])
    return render_template("search/saved_profile.html", profile=profile, previous=previous,
                           news=news, unavailable=unavailable, search_url=search_url,
                           characteristics=_characteristics(profile.query))


@bp.post("/mijn/profielen/<int:profile_id>/verwijderen")
@perm.permission_required(perm.can_save_profiles)
def delete_saved_profile(profile_id: int):
    saved_profiles.delete_profile(current_user, profile_id)
    flash(_("Het profiel is verwijderd."))
    return redirect(url_for("pages.saved_profiles_list"))
