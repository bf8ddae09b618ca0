"""Input schemas for sign-in, password change, users and API tokens."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from registry.models.user import ROLES


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))
    next = fields.String(load_default=None)


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True)
    new_password = fields.String(required=True, validate=validate.Length(max=500))
    repeat_password = fields.String(required=True)

    @validates_schema
    def passwords_match(self, data, **kwargs):
        if data.get("new_password") != data.get("repeat_password"):
            raise ValidationError("De wachtwoorden zijn niet gelijk.", "repeat_password")


class UserCreateSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(max=500))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    organisation_id = fields.Integer(load_default=None, allow_none=True)


class UserRolesSchema(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)
    active = fields.Boolean(load_default=False)


class TokenCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
