"""Domain errors and the one error shape every API response and page uses.

JSON shape (every 4xx/5xx under /api/):
    {"error": {"status": 422, "code": "validation_failed", "message": "...",
               "details": [{"field": "a.b", "messages": ["..."]}]}}
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from registry.ops.request_log import logged_path
from search_index.storage import IndexUnavailable


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(DomainError):
    status = 404
    code = "not_found"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ImportRejected(ValidationFailed):
    code = "import_rejected"


class SearchUnavailable(DomainError):
    """The search index cannot be read (missing, or being rebuilt for the first time)."""

    status = 503
    code = "search_unavailable"


def details_from_marshmallow(messages: dict | list, prefix: str = "") -> list[dict[str, Any]]:
    """Flatten marshmallow's nested error dict into [{"field": "a.b", "messages": [...]}]."""
    if isinstance(messages, list):
        return [{"field": prefix or "_schema", "messages": [str(m) for m in messages]}]
    details: list[dict[str, Any]] = []
    for key, value in messages.items():
        # A Dict field's entry says "value" (or "key") below the entry's key: the entry
        # is the field the user knows ("scores.description", not "scores.description.value").
        within_dict = key in ("key", "value") and "." in prefix
        field = prefix if within_dict else f"{prefix}.{key}" if prefix else str(key)
        details.extend(details_from_marshmallow(value, field))
    return details


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
}


def _http_message(status: int) -> str:
    messages = {
        400: _("Het verzoek is ongeldig."),
        401: _("U moet eerst inloggen."),
        403: _("U heeft geen toegang tot deze pagina."),
        404: _("Deze pagina of dit record bestaat niet."),
        405: _("Deze methode is hier niet toegestaan."),
        409: _("Dit conflicteert met de huidige toestand."),
        413: _("Het bestand is te groot."),
        422: _("De invoer is niet geldig."),
        429: _("Te veel verzoeken; probeer het later opnieuw."),
    }
    return messages.get(status, _("Er ging iets mis aan onze kant. Probeer het later opnieuw."))


def wants_json() -> bool:
    return request.path.startswith("/api/")


# Details for programs, not people: a round's state code, the version number a form
# was based on. The API's JSON keeps them; a page says it in its message.
API_ONLY_DETAILS = frozenset({"state", "lock_version"})


def error_response(status: int, code: str, message: str, details: list | None = None):
    """Render an error as the API's JSON shape or as a Dutch page."""
    if wants_json():
        body = {"status": status, "code": code, "message": message, "details": details or []}
        response = jsonify(error=body)
        if status == 401:  # RFC 6750: how to authenticate, and whether the token was the fault
            sent = request.headers.get("Authorization", "").lower().startswith("bearer ")
            response.headers["WWW-Authenticate"] = (
                'Bearer realm="api"' + (', error="invalid_token"' if sent else ""))
        return response, status
    template = "errors/404.html" if status == 404 else "errors/error.html"
    shown = [d for d in details or [] if d.get("field") not in API_ONLY_DETAILS]
    return render_template(template, status=status, message=message, details=shown), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return error_response(error.status, error.code, error.message, error.details)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        body, status = error_response(
            status, _HTTP_CODES.get(status, "error"), _http_message(status)
        )
        # Keep headers such as Allow (405) and Retry-After (429) that the exception carries.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, status, headers

    @app.errorhandler(IndexUnavailable)
    def handle_index_unavailable(error: IndexUnavailable):
        # Any route that reads the index without a page of its own for this (feeds,
        # exports): 503 like the search page, not 500.
        app.logger.warning("search index unavailable on %s: %s", logged_path(), error)
        return error_response(503, SearchUnavailable.code,
                              _("De zoekfunctie is tijdelijk niet beschikbaar."))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s", logged_path())
        return error_response(500, "internal_error", _http_message(500))
