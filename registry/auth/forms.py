"""Reading HTML forms through marshmallow schemas (the same ones the API uses)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError

from registry.errors import ValidationFailed, details_from_marshmallow


def form_data(list_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """request.form as a dict; empty strings dropped, named fields read as lists."""
    data: dict[str, Any] = {}
    for key in request.form:
        if key == "csrf_token":
            continue
        if key in list_fields:
            data[key] = [v for v in request.form.getlist(key) if v != ""]
        elif request.form[key] != "":
            data[key] = request.form[key]
    for key in list_fields:
        data.setdefault(key, [])
    return data


def load(schema: Schema, data: dict[str, Any], unknown: str = EXCLUDE) -> dict[str, Any]:
    """Validate with a schema. Raises ValidationFailed with the one error shape. A form's
    extra fields (its buttons) are left out; an API body passes unknown=RAISE, so a field
    a client misspelt is refused by name instead of dropped unseen."""
    try:
        return schema.load(data, unknown=unknown)
    except ValidationError as error:
        raise ValidationFailed(
            _("De invoer is niet geldig."), details_from_marshmallow(error.messages)
        ) from error


def errors_by_field(error: ValidationFailed) -> dict[str, list[str]]:
    return {d["field"]: d["messages"] for d in error.details}
