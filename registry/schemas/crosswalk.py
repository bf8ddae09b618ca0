"""Another clearinghouse's rating of an intervention: the form and API input, and the
output on the intervention (API and data package)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates

from registry.schemas.dutch import DutchSchema, not_blank


class ExternalRatingInputSchema(DutchSchema):
    source = fields.String(required=True, validate=validate.Length(min=1, max=60))
    label = fields.String(required=True, validate=[not_blank, validate.Length(min=1, max=200)])
    rated_on = fields.Date(load_default=None, allow_none=True)
    url = fields.Url(load_default=None, allow_none=True, schemes={"https", "http"},
                     validate=validate.Length(max=500))

    @validates("rated_on")
    def _not_in_the_future(self, value, **kwargs) -> None:
        if value is not None and value > date.today():
            raise ValidationError(_("Een datum in de toekomst kan niet."))


class ExternalRatingOutSchema(DutchSchema):
    source = fields.String(attribute="source.code", required=True)
    source_label = fields.String(attribute="source.label_nl", required=True)
    label = fields.String(required=True, metadata={
        "description": "The clearinghouse's own label, on its own scale."})
    rated_on = fields.Date(allow_none=True)
    url = fields.String(allow_none=True)
