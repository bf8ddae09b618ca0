"""One row of a coder's findings (the double-coding form), as the form posts it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates_schema

from registry.effects.plausibility import DUTCH, implausible
from registry.models.study import DIRECTIONS, EFFECT_SIZE_TYPES
from registry.schemas.common import DecimalNumber, count_field
from registry.schemas.dutch import DutchSchema

# A mean beyond this is a typing error (amounts in euros stay well below it).
MAX_VALUE = 1e9


def _number() -> fields.Float:
    return fields.Float(load_default=None, allow_none=True, allow_nan=False,
                        validate=validate.Range(-MAX_VALUE, MAX_VALUE))


class CodedFindingSchema(DutchSchema):
    outcome_domain = fields.String(required=True, validate=validate.Length(min=1, max=60))
    time_point_months = fields.Integer(load_default=None, allow_none=True,
                                       validate=validate.Range(0, 600))
    measure = fields.String(required=True, validate=validate.Length(min=1, max=300))
    effect_size_type = fields.String(load_default=None, allow_none=True,
                                     validate=validate.OneOf(EFFECT_SIZE_TYPES))
    effect_size = DecimalNumber(places=3, load_default=None, allow_none=True)
    ci_lower = DecimalNumber(places=3, load_default=None, allow_none=True)
    ci_upper = DecimalNumber(places=3, load_default=None, allow_none=True)
    # For the common scale when the effect size alone is not enough (plausibility checks
    # proportions and SDs).
    n_intervention = count_field(load_default=None)
    n_comparison = count_field(load_default=None)
    value_intervention = _number()
    value_comparison = _number()
    sd_intervention = _number()
    sd_comparison = _number()
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    lower_is_better = fields.Boolean(load_default=False)

    @validates_schema
    def _interval_in_order(self, data: dict, **kwargs: Any) -> None:
        lower, upper = data.get("ci_lower"), data.get("ci_upper")
        if lower is not None and upper is not None and lower > upper:
            raise ValidationError(_("De ondergrens is groter dan de bovengrens."), "ci_lower")

    @validates_schema
    def _plausible(self, data: dict, **kwargs: Any) -> None:
        problems = implausible(data)
        if problems:
            raise ValidationError({field: [_(DUTCH[message])]
                                   for field, message in problems})
