"""/procedure/interventies/<id>/elders-beoordeeld: the secretary or an admin records how
other clearinghouses rated an intervention (registry/services/crosswalk.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import Intervention
from registry.schemas.crosswalk import ExternalRatingInputSchema
from registry.services import crosswalk
from registry.services.vocabularies import terms_by_code
from registry.views.procedure import bp, load_intervention


def _intervention(intervention_id: int) -> Intervention:
    intervention = load_intervention(intervention_id)
    perm.authorize(perm.can_manage_external_ratings(current_user, intervention))
    return intervention


def _page(intervention: Intervention, errors: dict, values: dict, status: int = 200):
    fields = {"source": (_("Databank"), "source"), "label": (_("Hun oordeel"), "label"),
              "rated_on": (_("Datum van hun oordeel"), "rated_on"),
              "url": (_("Webadres van hun oordeel"), "url")}
    sources = [t for t in terms_by_code("clearinghouse").values() if t.is_active]
    return render_template("procedure/crosswalk.html", intervention=intervention,
                           sources=sources, errors=errors, values=values,
                           error_fields=fields), status


@bp.get("/interventies/<int:intervention_id>/elders-beoordeeld")
def external_ratings(intervention_id: int):
    return _page(_intervention(intervention_id), {}, {})


@bp.post("/interventies/<int:intervention_id>/elders-beoordeeld")
def add_external_rating(intervention_id: int):
    intervention = _intervention(intervention_id)
    values = form_data()
    try:
        crosswalk.add_external_rating(intervention, current_user,
                                      load(ExternalRatingInputSchema(), values))
    except ValidationFailed as error:
        db.session.rollback()
        return _page(_intervention(intervention_id), errors_by_field(error), values, 422)
    flash(_("Het oordeel is toegevoegd."))
    return redirect(url_for("procedure.external_ratings", intervention_id=intervention_id))


@bp.post("/interventies/<int:intervention_id>/elders-beoordeeld/<int:rating_id>/verwijderen")
def remove_external_rating(intervention_id: int, rating_id: int):
    crosswalk.remove_external_rating(_intervention(intervention_id), current_user, rating_id)
    flash(_("Het oordeel is verwijderd."))
    return redirect(url_for("procedure.external_ratings", intervention_id=intervention_id))
