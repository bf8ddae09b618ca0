"""Query strings read strictly through a marshmallow schema, for the API and the pages that
share its parameters (the evidence gap map)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from registry.errors import ValidationFailed, details_from_marshmallow
from registry.schemas.search import query_dict


def parse_query(schema: Schema) -> dict[str, Any]:
    """Load the query string with schema. Raises ValidationFailed naming each bad field.

    Strictly: a blank value or a repeated single-valued parameter is refused, not guessed at.
    """
    try:
        return schema.load(query_dict(request.args, schema, strict=True))
    except ValidationError as error:
        raise ValidationFailed(
            _("De zoekparameters zijn ongeldig."), details_from_marshmallow(error.messages)
        ) from error
