"""Input schemas for sign-in, password change, users and API tokens."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates_schema

from registry.models.user import EXPERTISE, ROLES
from registry.schemas.common import MAX_INTEGER
from registry.schemas.dutch import DutchSchema


class LoginSchema(DutchSchema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))
    next = fields.String(load_default=None)


class PasswordChangeSchema(DutchSchema):
    current_password = fields.String(required=True)
    new_password = fields.String(required=True, validate=validate.Length(max=500))
    repeat_password = fields.String(required=True)

    @validates_schema
    def passwords_match(self, data, **kwargs):
        if data.get("new_password") != data.get("repeat_password"):
            raise ValidationError(_("De wachtwoorden zijn niet gelijk."), "repeat_password")


class UserCreateSchema(DutchSchema):
    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(max=500))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    organisation_id = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(1, MAX_INTEGER)
    )


class UserRolesSchema(DutchSchema):
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    expertise = fields.List(fields.String(validate=validate.OneOf(EXPERTISE)),
                            load_default=list)
    active = fields.Boolean(load_default=False)
    organisation_id = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(1, MAX_INTEGER)
    )


class TokenCreateSchema(DutchSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
