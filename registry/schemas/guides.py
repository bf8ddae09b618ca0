"""The werkwijzer form and API input: title, phase, Markdown body, the facet values and
interventions it belongs with, and a note on what changed."""

from __future__ import annotations

from collections.abc import Set

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates_schema

from registry.guides_markdown import MAX_CHARS
from registry.schemas.dutch import DutchSchema

LINKED_FACETS = ("barrier", "target_group", "phase", "support_need")


class GuideInputSchema(DutchSchema):
    """Known codes (facet:code) and published intervention ids come from the database."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phase = fields.String(required=True, validate=validate.Length(min=1, max=60))
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_CHARS))
    facets = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list,
                         validate=validate.Length(max=50))
    intervention_ids = fields.List(fields.Integer(), load_default=list,
                                   validate=validate.Length(max=100))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))

    def __init__(self, *, codes: Set[str] = frozenset(), interventions: Set[int] = frozenset(),
                 **kwargs):
        super().__init__(**kwargs)
        self.codes, self.interventions = codes, interventions

    @validates_schema(skip_on_field_errors=True)
    def _known(self, data, **kwargs) -> None:
        errors = {}
        if f"phase:{data['phase']}" not in self.codes:
            errors["phase"] = [_("Kies een fase uit de lijst.")]
        unknown = sorted(set(data["facets"]) - self.codes)
        if unknown:
            errors["facets"] = [_("Onbekende code: %(codes)s.", codes=", ".join(unknown))]
        if set(data["intervention_ids"]) - self.interventions:
            errors["intervention_ids"] = [_("Kies gepubliceerde interventies uit de lijst.")]
        if errors:
            raise ValidationError(errors)
