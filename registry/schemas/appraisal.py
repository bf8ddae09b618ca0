"""The study appraisal's input (inside an assessment) and output (an assessment's, and
the panel's agreed rating in the evidence API)."""

from __future__ import annotations

from marshmallow import fields, validate

from registry.effects.appraisal import (
    ANALYSES,
    CONFOUNDING,
    DESIGNS,
    GROUP_FORMATIONS,
    OUTCOME_MEASURES,
    RATINGS,
)
from registry.schemas.common import MAX_INTEGER
from registry.schemas.dutch import DutchSchema

# Above this an SD difference at baseline is a typing error, not a study.
MAX_BASELINE_SD = 10
MAX_STUDIES = 500


def _choice(values: tuple[str, ...]) -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=validate.OneOf(values))


def _number(maximum: float) -> fields.Float:
    return fields.Float(load_default=None, allow_none=True, allow_nan=False,
                        validate=validate.Range(0, maximum))


class AppraisalInputSchema(DutchSchema):
    """A reviewer's answers on one study; a draft may leave any of them out."""

    design = _choice(DESIGNS)
    group_formation = _choice(GROUP_FORMATIONS)
    overall_attrition = _number(100)
    differential_attrition = _number(100)
    baseline_difference = _number(MAX_BASELINE_SD)
    baseline_adjusted = fields.Boolean(load_default=False)
    confounding = _choice(CONFOUNDING)
    outcome_measures = _choice(OUTCOME_MEASURES)
    analysis = _choice(ANALYSES)
    # An override of the proposed rating; it needs override_reason on submission.
    rating = _choice(RATINGS)
    override_reason = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=5000))


def appraisals_field() -> fields.Dict:
    """Study id -> AppraisalInputSchema, as an assessment carries it."""
    return fields.Dict(keys=fields.Integer(validate=validate.Range(1, MAX_INTEGER)),
                       values=fields.Nested(AppraisalInputSchema), load_default=dict,
                       validate=validate.Length(max=MAX_STUDIES))


class AppraisalOutSchema(DutchSchema):
    study_id = fields.Integer()
    design = fields.String(allow_none=True)
    group_formation = fields.String(allow_none=True)
    overall_attrition = fields.Float(allow_none=True)
    differential_attrition = fields.Float(allow_none=True)
    baseline_difference = fields.Float(allow_none=True)
    baseline_adjusted = fields.Boolean()
    confounding = fields.String(allow_none=True)
    outcome_measures = fields.String(allow_none=True)
    analysis = fields.String(allow_none=True)
    proposed = fields.String(allow_none=True)
    rating = fields.String(allow_none=True)
    override_reason = fields.String(allow_none=True)


class AgreedAppraisalOutSchema(DutchSchema):
    """The panel's agreed rating of one study, from the published decision."""

    study_id = fields.Integer()
    title = fields.String()
    rating = fields.String()
    quality = fields.String()
    reason = fields.String(allow_none=True)
