"""The owner's quickscan of a draft and the advisory round (question and advice)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field
from registry.errors import ValidationFailed
from registry.services import advice
from registry.services.quickscan import quickscan
from registry.views.procedure import bp, load_round


@bp.get("/rondes/<int:round_id>/quickscan")
def quickscan_page(round_id: int):
    round_ = load_round(round_id, perm.can_view_quickscan)
    return _page(round_)


@bp.post("/rondes/<int:round_id>/advies/vragen")
def ask_advice(round_id: int):
    return _write(round_id, perm.can_ask_advice, advice.ask,
                  _("Uw vraag is naar het secretariaat gestuurd."))


@bp.post("/rondes/<int:round_id>/advies")
def give_advice(round_id: int):
    return _write(round_id, perm.can_give_advice, advice.give,
                  _("Het advies is vastgelegd en de indiener heeft bericht."))


def _write(round_id: int, check, write, done: str):
    """The owner's question or the secretary's advice: written, or the page again with
    the error (422)."""
    round_ = load_round(round_id, check)
    try:
        write(round_, current_user, request.form.get("body", ""))
    except ValidationFailed as error:
        return _page(round_, errors_by_field(error), 422)
    return _back(round_id, done)


def _page(round_, errors: dict | None = None, status: int = 200):
    return render_template(
        "procedure/quickscan.html", round=round_, scan=quickscan(round_.version),
        thread=round_.advice, advisory_open=round_.state in advice.ADVISORY_STATES,
        can_ask=perm.can_ask_advice(current_user, round_),
        can_give=perm.can_give_advice(current_user, round_),
        errors=errors or {}, posted=request.form.get("body", "") if errors else "",
        min_advice=advice.MIN_ADVICE_CHARS, max_chars=advice.MAX_CHARS,
    ), status


def _back(round_id: int, message: str):
    flash(message)
    return redirect(url_for("procedure.quickscan_page", round_id=round_id))
