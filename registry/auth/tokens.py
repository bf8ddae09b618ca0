"""Bearer-token authentication for the API: `Authorization: Bearer <secret>`.

API routes read only the token, never the session cookie: the api blueprint has no CSRF
protection, so a cookie must not be able to authorise a write there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from registry.errors import DomainError
from registry.services.accounts import user_for_token


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


def bearer_user():
    """The user of a valid bearer token in this request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return user_for_token(secret.strip())


def token_required(view: Callable) -> Callable:
    """Sets g.api_user from the bearer token. Raises Unauthorized (401) without one."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        user = bearer_user()
        if user is None:
            raise Unauthorized(
                _("Geef een geldig API-token mee (Authorization: Bearer ...)."))
        g.api_user = user
        return view(*args, **kwargs)

    wrapped.requires_token = True  # the OpenAPI document asks for the bearer token there
    return wrapped
