"""What every API view shares: query parsing, paging envelopes and operation docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, url_for
from marshmallow import Schema

from registry.request_query import parse_query  # noqa: F401 (the API's views use it)
from registry.schemas.pagination import PageQuerySchema, paging_schema
from registry.services.catalogue import Page

View = TypeVar("View", bound=Callable[..., Any])
QuerySchema = TypeVar("QuerySchema", bound=PageQuerySchema)


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one view."""

    summary: str
    # The 200 body; None means a free-form JSON object (the OpenAPI document itself).
    response: type[Schema] | None
    description: str = ""
    query: type[Schema] | None = None
    # The JSON request body of a PUT or POST.
    body: type[Schema] | None = None
    # The multipart/form-data field of an uploaded file, for a POST that takes one.
    upload: str | None = None
    path: tuple[PathParameter, ...] = ()
    errors: tuple[int, ...] = ()


@dataclass(frozen=True)
class PathParameter:
    name: str
    type: str
    description: str


def operation(summary: str, **details: Any) -> Callable[[View], View]:
    """Attach an Operation (see its fields) to a view for the OpenAPI document.

    registry.api.openapi reads it for every /api/v1 rule; a view without one is left
    out of the document, and the OpenAPI test fails.
    """

    def decorate(view: View) -> View:
        view.openapi_operation = Operation(summary, **details)  # type: ignore[attr-defined]
        return view

    return decorate


def page_query(schema_class: type[QuerySchema]) -> QuerySchema:
    """A paging query schema with the page size limits of this app's configuration."""
    return paging_schema(schema_class, current_app.config["API_MAX_PER_PAGE"],
                         current_app.config["API_DEFAULT_PER_PAGE"])


def page_envelope(page: Page, endpoint: str, **args: Any) -> dict[str, Any]:
    """Items, paging metadata and absolute links (args are kept in every link)."""

    def link(number: int) -> str:
        return url_for(endpoint, page=number, per_page=page.per_page, _external=True, **args)

    has_next = page.page < page.pages
    return {
        "items": page.items,
        "meta": page,
        "links": {
            "self": link(page.page),
            "first": link(1),
            "last": link(page.pages),
            "next": link(page.page + 1) if has_next else None,
            "prev": link(min(page.page - 1, page.pages)) if page.page > 1 else None,
        },
    }
