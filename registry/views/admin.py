"""Admin pages: users and their roles, and the adoption figures."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import DomainError
from registry.extensions import db
from registry.models import Organisation, User
from registry.models.user import EXPERTISE_LABELS, ROLE_LABELS, ROLES
from registry.schemas.accounts import UserCreateSchema, UserRolesSchema
from registry.search.labels import FACET_LABELS, value_label
from registry.search.terms import term_labels
from registry.services import accounts
from registry.usage import figures
from registry.views.charts import bar_chart

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.context_processor
def _role_labels() -> dict:
    return {"role_labels": ROLE_LABELS}


def _organisations():
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


@bp.get("/gebruikers")
@perm.permission_required(perm.can_manage_users)
def users():
    listed = db.session.scalars(select(User).order_by(User.email))
    return render_template("admin/users.html", users=list(listed))


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@perm.permission_required(perm.can_manage_users)
def new_user():
    if request.method == "GET":
        return _user_form({})
    try:
        data = load(UserCreateSchema(), form_data(("roles",)))
        accounts.create_user(data["email"], data["name"], data["password"], data["roles"],
                             actor=current_user, organisation_id=data.get("organisation_id"))
    except DomainError as error:
        db.session.rollback()
        return _user_form(errors_by_field(error) or {"_schema": [error.message]},
                          error.status)
    flash(_("De gebruiker is aangemaakt."))
    return redirect(url_for("admin.users"))


def _user_form(errors, status=200):
    page = render_template("admin/user_new.html", errors=errors, roles=ROLES,
                           organisations=_organisations(), values=request.form)
    return page, status


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@perm.permission_required(perm.can_manage_users)
def edit_user(user_id: int):
    user = accounts.get_user(user_id)
    if request.method == "POST":
        try:
            data = load(UserRolesSchema(), form_data(("roles", "expertise")))
            accounts.set_roles(user, data["roles"], actor=current_user)
            accounts.set_expertise(user, data["expertise"], actor=current_user)
            accounts.set_organisation(user, data["organisation_id"], actor=current_user)
            accounts.set_active(user, data["active"], actor=current_user)
            accounts.keep_an_admin()
        except DomainError as error:
            db.session.rollback()
            return _edit_form(accounts.get_user(user_id), errors_by_field(error) or {
                "_schema": [error.message]}, error.status)
        flash(_("De gegevens van de gebruiker zijn opgeslagen."))
        return redirect(url_for("admin.users"))
    return _edit_form(user, {})


def _edit_form(user, errors, status=200):
    page = render_template("admin/user_edit.html", user=user, roles=ROLES, errors=errors,
                           expertise=EXPERTISE_LABELS, organisations=_organisations())
    return page, status


@bp.get("/gebruik")
@perm.permission_required(perm.can_view_usage)
def usage():
    """Adoption figures: counts per month, small cells suppressed (registry/usage)."""
    count = max(1, min(request.args.get("maanden", 12, type=int) or 12, figures.MAX_MONTHS))
    months = figures.months_up_to(date.today(), count)
    totals = figures.monthly_totals(months)
    charts = {metric: bar_chart([(month.strftime("%m-%Y"), value or 0,
                                  str(value) if value is not None else "< 5")
                                 for month, value in rows]) for metric, rows in totals.items()}
    terms = term_labels(str(get_locale()))
    breakdowns = [(b.metric, [(_dimension_label(dimension), value_label(
        "level" if dimension == "status" else dimension, value, terms), number)
        for dimension, value, number in b.rows]) for b in figures.breakdowns(months)]
    return render_template("admin/usage.html", months=months, totals=totals, charts=charts,
                           breakdowns=breakdowns, count=count,
                           threshold=figures.SUPPRESS_BELOW)


def _dimension_label(dimension: str) -> str:
    return str(FACET_LABELS.get("level" if dimension == "status" else dimension, dimension))
