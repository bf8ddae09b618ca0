"""GET /api/v1/openapi.json: the OpenAPI document, built from the views and schemas.

Every /api/v1 rule whose view carries an @operation is described; the schemas are the
same marshmallow classes that shape the responses, so the document cannot drift.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from werkzeug.routing import Rule

from registry.api import bp
from registry.api.common import Operation, PathParameter, operation, page_query
from registry.schemas.common import MAX_INTEGER, ErrorSchema
from registry.schemas.pagination import PageQuerySchema

API_PREFIX = "/api/v1/"
OPENAPI_VERSION = "3.1.0"
_PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_ERRORS = {
    "NotFound": "Onbekend record of onbekende URL.",
    "ValidationFailed": "Ongeldige parameters; `details` noemt elk veld.",
    "Error": "Elke andere fout (405, 500, ...) in dezelfde vorm.",
}
_ERROR_RESPONSE_OF_STATUS = {404: "NotFound", 422: "ValidationFailed"}


def build_spec(app: Flask) -> APISpec:
    """The OpenAPI document of every documented /api/v1 rule of app."""
    spec = APISpec(
        title="Interventies naar Werk API",
        version="1",
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={"description": "API van de databank Interventies naar Werk: de catalogus, "
                             "het zoeken en het bewijs openbaar; de procedure en de import "
                             "met een API-token (Authorization: Bearer ...)."},
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer",
                   "description": "Een API-token, aan te maken op /account/tokens."})
    spec.components.schema("Error", schema=ErrorSchema)
    for name, description in _ERRORS.items():
        spec.components.response(name, _json_response(description, "Error"))
    for rule in sorted(api_rules(app), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        documented = getattr(view, "openapi_operation", None)
        if documented is not None:
            operations = _operations(rule, documented)
            if getattr(view, "requires_token", False):
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}]
            spec.path(path=openapi_path(rule), operations=operations)
    return spec


def api_rules(app: Flask) -> list[Rule]:
    """Every URL rule of app under /api/v1/."""
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX)]


def openapi_path(rule: Rule) -> str:
    """/api/v1/studies/<int:study_id> → /api/v1/studies/{study_id}"""
    return _PLACEHOLDER.sub(r"{\1}", rule.rule)


def _json_response(description: str, schema: Any) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error_response(status: int) -> Any:
    named = _ERROR_RESPONSE_OF_STATUS.get(status)
    return named or _json_response(HTTPStatus(status).phrase, "Error")


def _query_schema(schema_class: type) -> Any:
    if issubclass(schema_class, PageQuerySchema):
        return page_query(schema_class)
    return schema_class()


def _operations(rule: Rule, documented: Operation) -> dict[str, Any]:
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    endpoint = rule.endpoint.removeprefix("api.")
    # operationId must be unique: a view serving several methods gets one per method.
    return {
        method.lower(): _operation(
            documented, endpoint if len(methods) == 1 else f"{endpoint}_{method.lower()}"
        )
        for method in methods
    }


def _upload(field: str) -> dict[str, Any]:
    form = {
        "type": "object",
        "required": [field],
        "properties": {field: {"type": "string", "format": "binary"}},
    }
    return {"multipart/form-data": {"schema": form}}


def _path_parameter(parameter: PathParameter) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": parameter.type}
    if parameter.type == "integer":
        # What the <int:...> converter matches; any other number is an unknown URL (404).
        schema.update(minimum=0, maximum=MAX_INTEGER)
    return {
        "in": "path",
        "name": parameter.name,
        "required": True,
        "schema": schema,
        "description": parameter.description,
    }


def _operation(documented: Operation, operation_id: str) -> dict[str, Any]:
    parameters = [_path_parameter(p) for p in documented.path]
    if documented.query is not None:
        parameters.append({"in": "query", "schema": _query_schema(documented.query)})
    body = documented.response or {"type": "object"}
    responses: dict[str, Any] = {"200": _json_response(documented.summary, body)}
    for status in documented.errors:
        responses[str(status)] = _error_response(status)
    responses["default"] = "Error"
    result = {
        "operationId": operation_id,
        "summary": documented.summary,
        "parameters": parameters,
        "responses": responses,
    }
    if documented.body is not None:
        content = {"application/json": {"schema": documented.body}}
        result["requestBody"] = {"required": True, "content": content}
    if documented.upload is not None:
        result["requestBody"] = {"required": True, "content": _upload(documented.upload)}
    if documented.description:
        result["description"] = documented.description
    return result


@bp.get("/openapi.json")
@operation("Dit OpenAPI-document", response=None)
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    return build_spec(current_app).to_dict()
