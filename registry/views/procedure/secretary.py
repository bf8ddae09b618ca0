"""Secretary pages: screening, panel, discussion, decision, publication, conflicts."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.effects.domains import groups_for
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.procedure.labels import CRITERIA_LABELS
from registry.schemas.common import whole_number
from registry.schemas.procedure import DecisionInputSchema, ReopenSchema, ScreeningSchema
from registry.services import appraisal, decision, panel_rules, screening
from registry.services import conflict_register as conflict_register_service
from registry.services.accounts import active_reviewers, all_organisations, get_user
from registry.services.assessment import assessment_items, visible_assessments
from registry.services.domain_ratings import chosen_ratings, field_name
from registry.services.effects import effect_studies
from registry.services.procedure import current_decision_of
from registry.services.suggested_level import suggested_level_for
from registry.views import labels
from registry.views.procedure import back_to_round, bp, check_form_lock, dossier, load_round
from registry.views.procedure.round import render_round


@bp.post("/rondes/<int:round_id>/screening/starten")
def start_screening(round_id: int):
    round_ = load_round(round_id, perm.can_screen)
    check_form_lock(round_)
    screening.start_screening(round_, current_user)
    return back_to_round(round_id, _("De screening is gestart."))


@bp.route("/rondes/<int:round_id>/screening", methods=["GET", "POST"])
def screen(round_id: int):
    round_ = load_round(round_id, perm.can_screen)
    if request.method == "GET":
        return _screening_form(round_, {})
    check_form_lock(round_)
    try:
        data = load(ScreeningSchema(), form_data(("checklist",)))
        screening.screen(round_, current_user, data["checklist"], data["outcome"],
                         data.get("remarks"))
    except ValidationFailed as error:
        db.session.rollback()
        errors = errors_by_field(error)
        if "checklist" in errors:  # the service names the criteria not ticked by code
            names = ", ".join(str(CRITERIA_LABELS.get(c, c)) for c in errors["checklist"])
            errors["checklist"] = [_("Nog niet afgevinkt: %(names)s.", names=names)]
        return _screening_form(round_, errors, 422)
    return back_to_round(round_id, _("De screening is vastgelegd."))


def _screening_form(round_, errors, status=200):
    fields = {"checklist": (_("Inclusiecriteria"), f"c-{next(iter(CRITERIA_LABELS))}"),
              "outcome": (_("Uitkomst"), "o-accepted"),
              "remarks": (_("Opmerkingen voor de indiener"), "remarks")}
    return render_template("procedure/screening.html", round=round_, errors=errors,
                           values=request.form, dossier=dossier(round_), error_fields=fields,
                           criteria=CRITERIA_LABELS), status


@bp.get("/rondes/<int:round_id>/panel")
def panel_page(round_id: int):
    return _panel_page(load_round(round_id, perm.can_assign_panel))


def _panel_page(round_, error: str | None = None, status: int = 200):
    members = [(m, screening.conflicts_of(m.user, round_)) for m in round_.panel]
    on_panel = {m.user_id for m in round_.panel}
    candidates = [(r, screening.conflicts_of(r, round_)) for r in active_reviewers()
                  if r.id not in on_panel]
    rule = panel_rules.rule_for(round_.level_sought)
    page = render_template("procedure/panel.html", round=round_, candidates=candidates,
                           members=members, error=error, rule=panel_rules.describe(rule),
                           level=panel_rules.level_label(round_.level_sought),
                           unmet=panel_rules.unmet(rule, [m.user for m in round_.panel]))
    return page, status


@bp.post("/rondes/<int:round_id>/panel")
def assign_reviewer(round_id: int):
    """Add the chosen reviewers (one or several, in one step) to the panel."""
    round_ = load_round(round_id, perm.can_assign_panel)
    chosen = [get_user(_id(value)) for value in request.form.getlist("reviewer_id")]
    if not chosen:
        return _panel_page(round_, _("Kies minstens één beoordelaar."), 422)
    for reviewer in chosen:
        screening.assign_reviewer(round_, current_user, reviewer)
    names = ", ".join(r.name for r in chosen)
    return back_to_round(round_id, _("Aan het panel toegevoegd: %(names)s.", names=names))


def _id(value: str) -> int:
    # A database id, or 0 (no such user) for anything else: never an overflow.
    return whole_number(value) or 0


@bp.post("/rondes/<int:round_id>/panel/<int:user_id>/verwijderen")
def remove_reviewer(round_id: int, user_id: int):
    round_ = load_round(round_id, perm.can_assign_panel)
    reviewer = get_user(user_id)
    screening.remove_reviewer(round_, current_user, reviewer)
    return back_to_round(round_id, _("%(name)s is uit het panel gehaald.", name=reviewer.name))


@bp.post("/rondes/<int:round_id>/bespreking")
def open_discussion(round_id: int):
    round_ = load_round(round_id, perm.can_open_discussion)
    check_form_lock(round_)
    decision.open_discussion(round_, current_user)
    return back_to_round(round_id, _("De bespreking is geopend."))


@bp.route("/rondes/<int:round_id>/besluit", methods=["GET", "POST"])
def record_decision(round_id: int):
    """The decision form; a valid form is shown once more to confirm (bevestigd=1)."""
    round_ = load_round(round_id, perm.can_record_decision)
    if round_.state != "in_discussion":
        # The form shows every reviewer's ratings: before the discussion a secretary who
        # is also on the panel would see them before submitting their own (blindness).
        raise InvalidTransition(
            _("Een besluit wordt vastgelegd in de bespreking; die is nu niet open."))
    if request.method == "GET" or request.form.get("wijzigen"):
        return _decision_form(round_, {})
    check_form_lock(round_)
    try:
        data = load(DecisionInputSchema(), form_data())
        data["domain_ratings"] = chosen_ratings(request.form)
        data["study_appraisals"] = appraisal.chosen_appraisals(request.form)
        if not request.form.get("bevestigd"):
            decision.check_decision(round_, data)
            return _confirm_decision(round_, data)
        decision.record_decision(round_, current_user, data)
    except ValidationFailed as error:
        db.session.rollback()
        return _decision_form(round_, errors_by_field(error), 422)
    return back_to_round(round_id, _("Het besluit is vastgelegd; de panelleden bevestigen het."))


def _confirm_decision(round_, data: dict):
    fields = ("outcome", "level", "rationale", "conditions")
    hidden = {name: data[name] for name in fields if data.get(name)}
    # The panel's ratings per domain go through the confirmation unchanged.
    hidden |= {field_name(kind, domain, horizon): value
               for (domain, horizon), choice in data["domain_ratings"].items()
               for kind, key in (("rating", "decided"), ("reason", "reason"))
               if (value := choice.get(key))}
    hidden |= {appraisal.field_name(kind, study_id): value
               for study_id, choice in data["study_appraisals"].items()
               for kind in ("rating", "reason") if (value := choice.get(kind))}
    return render_template(
        "procedure/confirm.html", round=round_, missing=[], decision=data,
        question=_("Dit besluit vastleggen?"),
        consequences=[_("Na het vastleggen bevestigt elk panellid het besluit; daarna kan "
                        "het worden gepubliceerd.")],
        action=url_for("procedure.record_decision", round_id=round_.id),
        hidden={**hidden, "bevestigd": "1"}, yes=_("Ja, besluit vastleggen"),
        change_label=_("Nee, besluit wijzigen"),
    )


def _group_fields(groups) -> dict[str, tuple[str, str]]:
    # The error summary links each domain rating's error to its field.
    english = str(get_locale()) == "en"
    fields = {}
    for group in groups:
        name = group.domain.label_en if english else group.domain.label_nl
        label = f"{name}, {str(labels.HORIZONS[group.horizon]).lower()}"
        for kind in ("rating", "reason"):
            target = field_name(kind, group.domain.code, group.horizon)
            fields[target] = (label, target)
    return fields


def _study_fields(studies) -> dict[str, tuple[str, str]]:
    fields = {}
    for study, _given, _common in studies:
        for kind in ("rating", "reason"):
            target = appraisal.field_name(kind, study.id)
            fields[target] = (study.title, target)
    return fields


def _decision_form(round_, errors, status=200):
    """The form, with the proposals read as if the reviewers' common study ratings were
    agreed (the panel's choices are checked again on posting)."""
    intervention = round_.version.intervention
    studies = appraisal.reviewers_ratings(round_)
    qualities = appraisal.common_qualities(studies)
    suggested = suggested_level_for(intervention, qualities)
    groups = groups_for(effect_studies(intervention), qualities)
    page = render_template(
        "procedure/decision.html", round=round_, errors=errors, suggested=suggested,
        groups=groups, field_name=field_name, studies=studies,
        study_field=appraisal.field_name,
        values=request.form, dossier=dossier(round_),
        assessments=visible_assessments(round_, current_user),
        items=dict(assessment_items(round_)),
        error_fields={"outcome": (_("Uitkomst"), "outcome"), "level": (_("Niveau"), "level"),
                      "rationale": (_("Motivering"), "rationale"),
                      "conditions": (_("Voorwaarden"), "conditions"),
                      **_group_fields(groups), **_study_fields(studies)},
    )
    return page, status


@bp.post("/rondes/<int:round_id>/heropenen")
def reopen_discussion(round_id: int):
    round_ = load_round(round_id, perm.can_record_decision)
    check_form_lock(round_)
    try:
        data = load(ReopenSchema(), form_data())
    except ValidationFailed as error:
        return render_round(round_, errors_by_field(error), error.status)
    decision.reopen_discussion(round_, current_user, data["reason"])
    return back_to_round(round_id, _("Het besluit is ingetrokken; de bespreking is heropend."))


@bp.get("/rondes/<int:round_id>/publiceren")
def confirm_publish(round_id: int):
    round_ = load_round(round_id, perm.can_publish)
    return render_template(
        "procedure/confirm.html", round=round_, missing=[],
        decision=current_decision_of(round_),
        question=_("Dit besluit publiceren?"),
        consequences=[_("Na publicatie staat het besluit met de motivering op de openbare "
                        "pagina van de interventie, en begint de bezwaartermijn.")],
        action=url_for("procedure.publish", round_id=round_id), hidden={},
        yes=_("Ja, publiceren"),
    )


@bp.post("/rondes/<int:round_id>/publiceren")
def publish(round_id: int):
    round_ = load_round(round_id, perm.can_publish)
    check_form_lock(round_, required=True)
    decision.publish_decision(round_, current_user)
    return back_to_round(round_id, _("Het besluit is gepubliceerd."))


@bp.get("/belangen")
@perm.permission_required(perm.can_view_conflict_register)
def conflict_register():
    reviewer_id = _id_arg("medewerker")
    organisation_id = _id_arg("organisatie")
    entries = conflict_register_service.register(reviewer_id, organisation_id)
    return render_template(
        "procedure/conflicts.html", entries=entries, kinds=conflict_register_service.KIND_LABELS,
        reviewers=active_reviewers(), organisations=all_organisations(),
        chosen={"medewerker": reviewer_id, "organisatie": organisation_id},
        filters={k: v for k, v in (("medewerker", reviewer_id), ("organisatie", organisation_id))
                 if v is not None},
    )


@bp.get("/belangen.csv")
@perm.permission_required(perm.can_view_conflict_register)
def conflict_register_csv():
    entries = conflict_register_service.register(_id_arg("medewerker"), _id_arg("organisatie"))
    return Response(conflict_register_service.register_csv(entries), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="belangen.csv"'})


def _id_arg(name: str) -> int | None:
    # A filter that is not a database id (or is out of range) is no filter.
    return whole_number(request.args.get(name))
