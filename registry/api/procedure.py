"""Procedure endpoints for token holders (`Authorization: Bearer <token>`).

The token carries its user's roles; the same permission checks and services as the
HTML pages apply. A stale lock_version or a lost race answers 409.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _
from marshmallow import RAISE

from registry import permissions as perm
from registry.api import bp
from registry.api.common import PathParameter, operation
from registry.auth.forms import load
from registry.auth.tokens import token_required
from registry.errors import ValidationFailed
from registry.schemas.procedure import (
    AssessmentInputSchema,
    AssessmentListSchema,
    DecisionInputSchema,
    DescriptionInputSchema,
    RoundOutSchema,
)
from registry.services import assessment, decision, description, submission
from registry.services.procedure import allowed_transitions, get_round

ROUND_ID = (PathParameter("round_id", "integer", "Id van de beoordelingsronde"),)
ERRORS = (401, 403, 404, 409, 422)


def _json_body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON reader goes: no form's shape
        body = None
    if not isinstance(body, dict):
        raise ValidationFailed(_("Stuur een JSON-object."))
    return body


def _round(round_id: int, check):
    round_ = get_round(round_id)
    perm.authorize(check(g.api_user, round_))
    return round_


def _assessment_out(item) -> dict:
    # The summary's submitted_at is an ISO string, naive on SQLite; the schema writes the
    # datetime itself, with its UTC offset.
    return {**assessment.assessment_summary(item), "submitted_at": item.submitted_at}


def _round_out(round_) -> dict:
    data = {
        "id": round_.id,
        "intervention_id": round_.intervention_id,
        "version_id": round_.version_id,
        "version_number": round_.version.number,
        "kind": round_.kind,
        "state": round_.state,
        "lock_version": round_.lock_version,
        "version_lock_version": round_.version.lock_version,
        "actions": allowed_transitions(round_, g.api_user),
    }
    return RoundOutSchema().dump(data)


@bp.get("/procedure/rounds/<int:round_id>")
@operation("Een beoordelingsronde", response=RoundOutSchema, path=ROUND_ID, errors=ERRORS)
@token_required
def api_round(round_id: int):
    return _round_out(_round(round_id, perm.can_view_round))


@bp.put("/procedure/rounds/<int:round_id>/description")
@operation("Concept-beschrijving opslaan (lock_version verplicht)", response=RoundOutSchema,
           body=DescriptionInputSchema, path=ROUND_ID, errors=ERRORS)
@token_required
def api_save_description(round_id: int):
    round_ = _round(round_id, perm.can_edit_draft)
    data = load(description.description_schema(), _json_body(), RAISE)
    if data.get("lock_version") is None:
        raise ValidationFailed(_("lock_version ontbreekt."),
                               [{"field": "lock_version", "messages": [_("Verplicht.")]}])
    submission.save_draft(round_, g.api_user, data)
    return _round_out(round_)


@bp.post("/procedure/rounds/<int:round_id>/submit")
@operation("Indienen", response=RoundOutSchema, path=ROUND_ID, errors=ERRORS)
@token_required
def api_submit(round_id: int):
    round_ = _round(round_id, perm.can_submit)
    submission.submit(round_, g.api_user)
    return _round_out(round_)


@bp.get("/procedure/rounds/<int:round_id>/assessments")
@operation("De beoordelingen die de aanvrager mag zien (blind tot eigen indiening)",
           response=AssessmentListSchema, path=ROUND_ID, errors=ERRORS)
@token_required
def api_assessments(round_id: int):
    round_ = _round(round_id, perm.can_view_round)
    visible = assessment.visible_assessments(round_, g.api_user)
    items = [_assessment_out(a) for a in visible]
    return AssessmentListSchema().dump({"items": items})


@bp.put("/procedure/rounds/<int:round_id>/assessment")
@operation("Eigen beoordeling opslaan of indienen", response=AssessmentListSchema,
           body=AssessmentInputSchema, path=ROUND_ID, errors=ERRORS)
@token_required
def api_save_assessment(round_id: int):
    round_ = _round(round_id, perm.can_assess)
    saved = assessment.save_assessment(round_, g.api_user,
                                       load(AssessmentInputSchema(), _json_body(), RAISE))
    return AssessmentListSchema().dump({"items": [_assessment_out(saved)]})


@bp.post("/procedure/rounds/<int:round_id>/decision")
@operation("Besluit vastleggen", response=RoundOutSchema, body=DecisionInputSchema,
           path=ROUND_ID, errors=ERRORS)
@token_required
def api_record_decision(round_id: int):
    round_ = _round(round_id, perm.can_record_decision)
    data = load(DecisionInputSchema(), _json_body(), RAISE)
    if data.get("lock_version") is not None:
        from registry.services.procedure import check_lock_version

        check_lock_version(round_, data["lock_version"])
    data["domain_ratings"] = {(r["outcome_domain"], r["horizon"]): {
        "decided": r["rating"], "reason": r.get("reason")} for r in data["domain_ratings"]}
    data["study_appraisals"] = {r["study_id"]: {"rating": r["rating"], "reason": r.get("reason")}
                                for r in data["study_appraisals"]}
    decision.record_decision(round_, g.api_user, data)
    return _round_out(round_)
