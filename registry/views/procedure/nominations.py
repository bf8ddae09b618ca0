"""The secretary's queue of nominations: status and reply per nomination."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.models import Nomination
from registry.schemas.nominations import NominationReplySchema
from registry.services import nominations
from registry.views.procedure import bp


@bp.get("/voordrachten")
@perm.permission_required(perm.can_handle_nominations)
def nomination_queue():
    chosen = request.args.get("status") or None
    return render_template("nominations/queue.html", items=nominations.queue(chosen),
                           chosen=chosen)


@bp.post("/voordrachten/<int:nomination_id>")
@perm.permission_required(perm.can_handle_nominations)
def handle_nomination(nomination_id: int):
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(_("Deze voordracht bestaat niet."))
    try:
        data = load(NominationReplySchema(), form_data())
        nominations.handle(nomination, current_user, data["status"], data.get("reply"),
                           shown=data.get("status_shown"))
    except ValidationFailed as error:
        page = render_template("nominations/queue.html", items=nominations.queue(),
                               chosen=None, errors={nomination.id: errors_by_field(error)},
                               posted=request.form)
        return page, 422
    flash(_("De voordracht is bijgewerkt en de indiener heeft bericht."))
    return redirect(url_for("procedure.nomination_queue", _anchor=f"voordracht-{nomination.id}"))
