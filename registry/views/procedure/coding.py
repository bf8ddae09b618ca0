"""Double coding pages: a panel member codes a linked study's findings; the adjudicator
sees the differences field by field and resolves each outcome and time point."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.auth.forms import errors_by_field
from registry.errors import NotFound, ValidationFailed
from registry.models.coding import NO_TIME_POINT
from registry.schemas.common import whole_number
from registry.services import double_coding as coding
from registry.services.vocabularies import terms_by_code
from registry.views import labels
from registry.views.procedure import bp, load_round

ROW_FIELDS = ("outcome_domain", "time_point_months", "measure", "effect_size_type",
              "effect_size", "ci_lower", "ci_upper", "n_intervention", "n_comparison",
              "value_intervention", "value_comparison", "sd_intervention", "sd_comparison",
              "direction", "lower_is_better")
BLANK_ROWS = 2


@bp.route("/rondes/<int:round_id>/studies/<int:study_id>/coderen", methods=["GET", "POST"])
def code_findings(round_id: int, study_id: int):
    round_ = load_round(round_id, perm.can_code_findings_of)
    study = coding.linked_study(round_, study_id)
    if request.method == "GET":
        own = coding.coding_of(round_, study, current_user)
        return _form(round_, study, [_row_values(r) for r in own.rows] if own else [], {})
    rows = _posted_rows()
    try:
        coding.save_coding(round_, study, current_user, rows,
                           submit=request.form.get("action") == "submit")
    except ValidationFailed as error:
        return _form(round_, study, rows, errors_by_field(error), 422)
    submitted = request.form.get("action") == "submit"
    flash(_("Uw codering is ingediend.") if submitted else _("Uw codering is opgeslagen."))
    return redirect(url_for("procedure.code_findings", round_id=round_id, study_id=study_id))


def _posted_rows() -> list[dict]:
    raw = request.form.get("rows", "")
    # A count of rows, at most the form's: a digit string is bounded before int() reads it.
    count = min(int(raw), coding.MAX_ROWS + BLANK_ROWS) if raw.isdigit() and len(raw) < 4 else 0
    return [{name: request.form.get(f"row-{n}-{name}", "") for name in ROW_FIELDS}
            for n in range(1, count + 1)]


def _row_values(row) -> dict:
    values = {name: getattr(row, name, None) for name in ROW_FIELDS if name != "outcome_domain"}
    values["outcome_domain"] = row.outcome_domain.code
    values["lower_is_better"] = "1" if row.lower_is_better else None  # the form's option
    return {k: "" if v is None else str(v) for k, v in values.items()}


def _form(round_, study, rows: list[dict], errors: dict, status: int = 200):
    own = coding.coding_of(round_, study, current_user)
    page = render_template(
        "procedure/coding.html", round=round_, study=study,
        rows=rows + [{}] * BLANK_ROWS, errors=errors, own=own,
        others=coding.visible_to(round_, study, current_user),
        domains=terms_by_code("outcome_domain"), effect_types=labels.EFFECT_SIZE_TYPES,
        directions=labels.DIRECTIONS)
    return page, status


@bp.get("/rondes/<int:round_id>/studies/<int:study_id>/verschillen")
def coding_differences(round_id: int, study_id: int):
    round_ = load_round(round_id, perm.can_adjudicate)
    return _differences(round_, coding.linked_study(round_, study_id))


@bp.post("/rondes/<int:round_id>/studies/<int:study_id>/verschillen")
def adjudicate(round_id: int, study_id: int):
    round_ = load_round(round_id, perm.can_adjudicate)
    study = coding.linked_study(round_, study_id)
    key = _posted_key()
    choices = {name: request.form.get(f"choice-{name}", "") for name in coding.CODED_FIELDS}
    try:
        coding.adjudicate(round_, study, current_user, key, choices)
    except ValidationFailed as error:
        return _differences(round_, study, {key: errors_by_field(error)}, 422)
    flash(_("De beslissing is vastgelegd; de bevinding telt mee."))
    return redirect(url_for("procedure.coding_differences", round_id=round_id,
                            study_id=study_id))


def _posted_key() -> coding.Key:
    domain = whole_number(request.form.get("domain"))
    time_point = whole_number(request.form.get("time_point"), signed=True)
    if domain is None or time_point is None:
        raise NotFound(_("Deze bevinding is niet gecodeerd."))
    return domain, time_point


def _differences(round_, study, errors: dict | None = None, status: int = 200):
    codings = coding.submitted_codings(round_, study)[:2]
    page = render_template(
        "procedure/coding_differences.html", round=round_, study=study, codings=codings,
        differences=coding.differences(round_, study), errors=errors or {},
        domains={t.id: t for t in terms_by_code("outcome_domain").values()},
        field_labels=labels.FINDING_FIELDS, effect_types=labels.EFFECT_SIZE_TYPES,
        directions=labels.DIRECTIONS, no_time_point=NO_TIME_POINT,
        may_decide=round_.state in coding.CODING_STATES)
    return page, status
