"""The nomination form, for any signed-in user (the secretary's queue is in
registry/views/procedure/nominations.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import ValidationFailed
from registry.schemas.nominations import NominationSchema
from registry.services import nominations
from registry.views import bp


@bp.route("/voordragen", methods=["GET", "POST"])
@perm.permission_required(perm.can_nominate)
def nominate():
    if request.method == "GET":
        return _form(_prefilled(), {})
    try:
        nominations.nominate(current_user, load(NominationSchema(), form_data()))
    except ValidationFailed as error:
        return _form(request.form, errors_by_field(error), 422)
    flash(_("Dank u. Uw voordracht staat in de rij van het secretariaat; u krijgt bericht "
            "als die is behandeld."))
    return redirect(url_for("dashboard.index", _anchor="voordrachten"))


def _prefilled() -> dict:
    """Coming from an intervention's page: that intervention, and the kind asked."""
    values = {"kind": "study" if request.args.get("soort") == "studie" else "intervention"}
    slug = request.args.get("interventie", "")[:160]
    intervention = nominations.published_by_slug(slug) if slug else None
    if intervention is not None:
        values.update(intervention_slug=slug,
                      intervention_title=intervention.published_version.title)
    return values


def _form(values, errors: dict, status: int = 200):
    page = render_template("nominations/form.html", values=values, errors=errors)
    return page, status
