"""Owner pages: describe, save, submit, withdraw, compare versions, reassess, object."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import ValidationFailed
from registry.evidence import LABELS as evidence_labels
from registry.models.intervention import REQUIRED_TO_SUBMIT
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.schemas.common import whole_number
from registry.schemas.procedure import ObjectionSchema
from registry.services import description, submission, validity
from registry.services.audit_trail import shown_events
from registry.services.panel_rules import LEVELS_SOUGHT
from registry.services.quickscan import quickscan
from registry.views.labels import VOCABULARY_NAMES
from registry.views.procedure import (
    back_to_round,
    bp,
    check_form_lock,
    load_intervention,
    load_round,
)
from registry.views.procedure.fields import DESCRIPTION_FIELDS, LABELS, diff_labels
from registry.views.procedure.round import render_round


def _description_form(values, errors, status=200, round_=None, lock_version=None):
    terms = description.active_tag_terms()
    tag_groups = [(v, VOCABULARY_NAMES.get(v, v), terms[v]) for v in INTERVENTION_TAG_VOCABULARIES]
    page = render_template(
        "procedure/description.html", fields=DESCRIPTION_FIELDS, values=values,
        errors=errors, round=round_, lock_version=lock_version, tag_groups=tag_groups,
        organisations=description.provider_choices(), required_to_submit=REQUIRED_TO_SUBMIT,
        error_fields=_description_error_fields(tag_groups),
    )
    return page, status


def _description_error_fields(tag_groups) -> dict:
    # Error key -> (label, id of its input) for the error summary.
    fields = {name: (label, name) for name, label, _kind in DESCRIPTION_FIELDS}
    fields.update({f"tags.{v}": (name, f"tags-{v}") for v, name, _terms in tag_groups})
    fields["providers"] = (_("Aanbieders"), "providers")
    return fields


def _posted_description() -> dict:
    """The posted form in the schema's shape: checkbox groups become lists."""
    data = form_data()
    data["targets_household"] = "targets_household" in request.form
    data["tags"] = {
        v: request.form.getlist(f"tag-{v}")
        for v in INTERVENTION_TAG_VOCABULARIES
        if request.form.getlist(f"tag-{v}")
    }
    data["providers"] = request.form.getlist("providers")
    return {k: v for k, v in data.items() if not k.startswith("tag-")}


def _read_description() -> dict:
    return load(description.description_schema(), _posted_description())


@bp.route("/nieuw", methods=["GET", "POST"])
@perm.permission_required(perm.can_create_intervention)
def new_intervention():
    if request.method == "GET":
        return _description_form({}, {})
    try:
        round_ = submission.create_intervention(current_user, _read_description())
    except ValidationFailed as error:
        return _description_form(_posted_description(), errors_by_field(error), 422)
    return back_to_round(round_.id, _("Het concept is opgeslagen."))


@bp.route("/rondes/<int:round_id>/beschrijving", methods=["GET", "POST"])
def edit_description(round_id: int):
    round_ = load_round(round_id, perm.can_edit_draft)
    version = round_.version
    if request.method == "GET":
        return _description_form(submission.form_values(version), {}, 200, round_,
                                 version.lock_version)
    try:
        submission.save_draft(round_, current_user, _read_description())
    except ValidationFailed as error:
        return _description_form(_posted_description(), errors_by_field(error), 422, round_,
                                 request.form.get("lock_version"))
    return back_to_round(round_.id, _("Het concept is opgeslagen."))


@bp.get("/rondes/<int:round_id>/indienen")
def confirm_submit(round_id: int):
    round_ = load_round(round_id, perm.can_submit)
    missing = [(f, LABELS[f]) for f in round_.version.missing_for_submission()]
    returned = round_.state == "returned" and round_.screenings
    return render_template(
        "procedure/confirm.html", round=round_, missing=missing,
        question=_("Deze beschrijving indienen?"),
        consequences=[_("Na het indienen ligt deze versie vast: u kunt haar niet meer "
                        "wijzigen. Het secretariaat krijgt bericht en screent de aanvraag.")],
        remarks=round_.screenings[-1].remarks if returned else None,
        text_field=("answer", _("Uw antwoord op de opmerkingen")) if returned else None,
        choice=_level_choice(round_),
        action=url_for("procedure.submit_round", round_id=round_id), hidden={},
        yes=_("Ja, indienen"),
    )


def _level_choice(round_) -> dict:
    """The level applied for: chosen before, else the highest the quickscan finds within
    reach. The panel's composition follows it (registry/services/panel_rules.py)."""
    chosen = round_.level_sought or quickscan(round_.version).reachable or ""
    return {
        "name": "level_sought", "legend": _("Welk niveau vraagt u aan?"),
        "hint": _("De samenstelling van het panel hangt af van het niveau (zie de "
                  "quickscan en de pagina over de erkenning)."),
        "options": [(level, evidence_labels[level]) for level in LEVELS_SOUGHT]
        + [("", _("Nog niet bekend: de commissie beoordeelt op alle niveaus"))],
        "chosen": chosen,
    }


@bp.post("/rondes/<int:round_id>/indienen")
def submit_round(round_id: int):
    round_ = load_round(round_id, perm.can_submit)
    check_form_lock(round_)
    submission.submit(round_, current_user, answer=request.form.get("answer"),
                      level_sought=request.form.get("level_sought") or None)
    return back_to_round(round_id, _("De interventie is ingediend."))


@bp.get("/rondes/<int:round_id>/intrekken")
def confirm_withdraw(round_id: int):
    round_ = load_round(round_id, perm.can_withdraw)
    return render_template(
        "procedure/confirm.html", round=round_, missing=[],
        question=_("De interventie intrekken?"),
        consequences=[_("Intrekken beëindigt deze ronde; een gepubliceerde interventie "
                        "verdwijnt uit het openbare register. Dit kan niet ongedaan worden "
                        "gemaakt; u kunt later opnieuw indienen.")],
        action=url_for("procedure.withdraw_round", round_id=round_id), hidden={},
        text_field=("note", _("Reden (komt in de geschiedenis)")), yes=_("Ja, intrekken"),
    )


@bp.post("/rondes/<int:round_id>/intrekken")
def withdraw_round(round_id: int):
    round_ = load_round(round_id, perm.can_withdraw)
    check_form_lock(round_)
    submission.withdraw(round_, current_user, request.form.get("note"))
    return back_to_round(round_id, _("De interventie is ingetrokken."))


@bp.post("/rondes/<int:round_id>/bezwaar")
def lodge_objection(round_id: int):
    round_ = load_round(round_id, perm.can_lodge_objection)
    try:
        data = load(ObjectionSchema(), form_data())
    except ValidationFailed as error:
        return render_round(round_, errors_by_field(error), error.status)
    objection = validity.lodge_objection(round_, current_user, data["grounds"])
    return back_to_round(objection.id, _("Uw bezwaar is ingediend."))


@bp.get("/interventies/<int:intervention_id>/herbeoordeling")
def reassessment_page(intervention_id: int):
    """Where the reminder before expiry leads: the recognition and a button to start."""
    intervention = load_intervention(intervention_id)
    perm.authorize(perm.can_request_reassessment(current_user, intervention))
    return render_template("procedure/reassessment.html", intervention=intervention)


@bp.post("/interventies/<int:intervention_id>/herbeoordeling")
def request_reassessment(intervention_id: int):
    intervention = load_intervention(intervention_id)
    perm.authorize(perm.can_request_reassessment(current_user, intervention))
    round_ = validity.request_reassessment(intervention, current_user)
    return back_to_round(round_.id, _("Een nieuwe beoordelingsronde is gestart."))


@bp.get("/interventies/<int:intervention_id>/versies")
def compare_versions(intervention_id: int):
    intervention = load_intervention(intervention_id)
    perm.authorize(perm.can_view_audit(current_user, intervention))
    numbers = [v.number for v in intervention.versions]
    old = whole_number(request.args.get("van")) or (numbers[-2] if len(numbers) > 1 else numbers[0])
    new = whole_number(request.args.get("naar")) or numbers[-1]
    changes = submission.diff_versions(
        submission.get_version(intervention, old), submission.get_version(intervention, new),
        str(get_locale()),
    )
    return render_template("procedure/diff.html", intervention=intervention, changes=changes,
                           labels=diff_labels(), old=old, new=new, numbers=numbers)


@bp.get("/interventies/<int:intervention_id>/geschiedenis")
def audit_page(intervention_id: int):
    intervention = load_intervention(intervention_id)
    perm.authorize(perm.can_view_audit(current_user, intervention))
    whole = perm.can_view_whole_audit(current_user)
    return render_template("procedure/audit.html", intervention=intervention,
                           events=shown_events(intervention, whole))

