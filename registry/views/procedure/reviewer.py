"""Reviewer pages: declare conflicts, assess blind, discuss, confirm the decision."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.effects.appraisal import appraise
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.procedure.labels import SCORE_LABELS
from registry.schemas.procedure import AssessmentInputSchema, CommentSchema
from registry.services import appraisal, assessment, decision, screening
from registry.services.assessment import appraisal_summary
from registry.views.labels import APPRAISAL_CHOICES, APPRAISAL_QUESTIONS
from registry.views.procedure import back_to_round, bp, check_form_lock, dossier, load_round
from registry.views.procedure.round import render_round


@bp.post("/rondes/<int:round_id>/verklaring")
def declare(round_id: int):
    round_ = load_round(round_id, perm.can_declare_no_conflict)
    if request.form.get("conflict"):
        screening.declare_conflict(round_, current_user, request.form.get("note"))
        return back_to_round(round_id, _("Uw belang is gemeld; u zit niet meer in dit panel."))
    screening.declare_no_conflict(round_, current_user)
    return back_to_round(round_id, _("Dank u. Het dossier is nu voor u geopend."))


def _scores_from_form() -> dict:
    prefix = "score-"
    return {k[len(prefix):]: v for k, v in request.form.items() if k.startswith(prefix) and v}


def _appraisals_from_form() -> dict[str, dict[str, str]]:
    """appraisal-<study id>-<answer> fields as {study id: {answer: value}}; a Dutch
    decimal comma is read as a point."""
    appraisals: dict[str, dict[str, str]] = {}
    for key, value in request.form.items():
        prefix, _sep, rest = key.partition("-")
        study_id, _sep, name = rest.partition("-")
        if prefix != "appraisal" or not name or value == "":
            continue
        if name in appraisal.NUMBERS:
            value = value.strip().replace(",", ".")
        appraisals.setdefault(study_id, {})[name] = value
    return appraisals


@bp.route("/rondes/<int:round_id>/beoordeling", methods=["GET", "POST"])
def assess(round_id: int):
    round_ = load_round(round_id, perm.can_assess)
    if request.method == "GET":
        return _assessment_form(round_, {})
    data = form_data()
    data["scores"] = _scores_from_form()
    data["appraisals"] = _appraisals_from_form()
    data["submit"] = request.form.get("action") == "submit"
    data = {k: v for k, v in data.items()
            if not k.startswith(("score-", "appraisal-")) and k != "action"}
    try:
        values = load(AssessmentInputSchema(), data)
        saved = assessment.save_assessment(round_, current_user, values)
    except ValidationFailed as error:
        db.session.rollback()
        return _assessment_form(round_, errors_by_field(error), 422, posted=True)
    message = _("Uw beoordeling is ingediend.") if saved.submitted_at else _("Opgeslagen.")
    return back_to_round(round_id, message)


def _assessment_form(round_, errors, status=200, posted=False):
    """The form with what was posted (a refused form keeps what was typed), else with
    the saved draft."""
    own = assessment.own_assessment(round_, current_user)
    items = assessment.assessment_items(round_)
    studies = appraisal.appraised_studies(round_)
    if posted:
        values, scores = dict(request.form), _scores_from_form()
    else:
        values = {"proposed_level": own.proposed_level or "",
                  "motivation": own.motivation or ""} if own else {}
        values |= _saved_appraisals(own)
        scores = own.score_map() if own else {}
    page = render_template(
        "procedure/assessment.html", round=round_, own=own, errors=errors, items=items,
        score_labels=SCORE_LABELS, scores=scores, values=values, dossier=dossier(round_),
        error_fields=_assessment_fields(items, studies), studies=studies,
        verdicts=_verdicts(own),
    )
    return page, status


def _verdicts(own) -> dict:
    """Study id -> the rating (with reasons) the saved answers propose, where complete."""
    saved = [(a.study_id, appraisal.answers_of(a)) for a in (own.appraisals if own else [])]
    return {study_id: appraise(answers) for study_id, answers in saved if answers}


def _saved_appraisals(own) -> dict[str, str]:
    """The saved draft's answers under their form field names."""
    values: dict[str, str] = {}
    for saved in own.appraisals if own else []:
        answers = appraisal_summary(saved)
        # The rating is the reviewer's only where it overrides the proposed one.
        if answers["rating"] == answers["proposed"]:
            answers["rating"] = None
        for name, value in answers.items():
            if value not in (None, False) and name not in ("study_id", "proposed"):
                values[f"appraisal-{saved.study_id}-{name}"] = str(value)
    return values


def _assessment_fields(items, studies) -> dict:
    # Error key -> (label, id of the input the summary links to).
    first = min(SCORE_LABELS)
    fields = {f"scores.{key}": (label, f"score-{key}-{first}") for key, label in items}
    for study in studies:
        for name, label in APPRAISAL_QUESTIONS.items():
            target = f"appraisal-{study.id}-{name}"
            fields[f"appraisals.{study.id}.{name}"] = (
                f"{study.title}: {label}", target + ("-" + next(iter(APPRAISAL_CHOICES[name]))
                          if name in APPRAISAL_CHOICES else ""))
        fields[f"appraisals.{study.id}.override_reason"] = (
            f"{study.title}: {_('Uitleg bij een ander oordeel')}",
            f"appraisal-{study.id}-override_reason")
    fields["proposed_level"] = (_("Voorgesteld niveau"), "proposed_level")
    fields["motivation"] = (_("Motivering"), "motivation")
    return fields


@bp.post("/rondes/<int:round_id>/reacties")
def comment(round_id: int):
    round_ = load_round(round_id, perm.can_comment)
    try:
        data = load(CommentSchema(), form_data())
    except ValidationFailed as error:  # spaces only: the round again, the field marked
        return render_round(round_, errors_by_field(error), error.status)
    decision.add_comment(round_, current_user, data["body"])
    return back_to_round(round_id, _("Uw reactie is geplaatst."))


@bp.post("/rondes/<int:round_id>/bevestigen")
def confirm(round_id: int):
    round_ = load_round(round_id, perm.can_confirm_decision)
    # The page showed one decision: if the secretary has reopened the discussion and
    # recorded another since, the round moved on and this confirmation is refused.
    check_form_lock(round_, required=True)
    decision.confirm_decision(round_, current_user)
    return back_to_round(round_id, _("U heeft het besluit bevestigd."))
