"""Input of a nomination (the form on /voordragen)."""

from __future__ import annotations

from marshmallow import fields, validate

from registry.models.nomination import NOMINATION_KINDS, NOMINATION_STATUSES
from registry.schemas.dutch import DutchSchema


def _optional(max_length: int) -> fields.String:
    return fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=max_length))


class NominationSchema(DutchSchema):
    kind = fields.String(required=True, validate=validate.OneOf(NOMINATION_KINDS))
    intervention_slug = _optional(160)
    intervention_title = _optional(300)
    doi = _optional(255)
    pmid = _optional(40)
    reason = fields.String(required=True, validate=validate.Length(max=5000))


class NominationReplySchema(DutchSchema):
    status = fields.String(required=True, validate=validate.OneOf(NOMINATION_STATUSES))
    reply = _optional(5000)
    # The status the secretary's page showed: another secretary's handling since is not
    # overruled.
    status_shown = fields.String(load_default=None, validate=validate.OneOf(NOMINATION_STATUSES))
