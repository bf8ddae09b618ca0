"""Paging: the query parameters every list takes, and the envelope every list returns."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, validate

from registry.schemas.common import LinksSchema
from registry.schemas.dutch import DutchSchema, translate_field

# Far beyond any real catalogue, but keeps the SQL offset inside a 64-bit integer.
MAX_PAGE = 1_000_000


class PageQuerySchema(DutchSchema):
    """page ≥ 1 and per_page within 1..max_per_page; subclasses add `sort`. Its messages
    are Dutch, as every page and the API show them (DutchSchema).

    The limits come from configuration, so they are constructor arguments.
    """

    class Meta:
        # Other query parameters (lang=) belong to other layers; ignore them here.
        unknown = EXCLUDE

    # Messages come from DutchSchema, in the reader's language.
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Paginanummer, vanaf 1."},
    )
    per_page = fields.Integer(metadata={"description": "Aantal resultaten per pagina."})

    def __init__(self, *, max_per_page: int, default_per_page: int, **kwargs: Any):
        super().__init__(**kwargs)
        per_page = self.fields["per_page"]
        per_page.load_default = default_per_page
        per_page.validators = [validate.Range(min=1, max=max_per_page)]
        translate_field(per_page)


@lru_cache(maxsize=64)
def paging_schema(schema_class: type[PageQuerySchema], max_per_page: int,
                  default_per_page: int) -> PageQuerySchema:
    """The one instance of a paging query schema with these limits, shared by every request
    and thread: a schema keeps nothing of a load, and setting one up (binding and
    translating every field) cost a search page more than loading its query string."""
    return schema_class(max_per_page=max_per_page, default_per_page=default_per_page)


def sort_field(choices: tuple[str, ...], default: str) -> fields.String:
    """A `sort` query parameter limited to the service's sort keys."""
    return fields.String(
        load_default=default,
        validate=validate.OneOf(choices, error=_l("Kies een van: {choices}.")),
        metadata={"description": "Sorteersleutel; '-' ervoor sorteert aflopend."},
    )


class PageMetaSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Results on all pages."})
    pages = fields.Integer(required=True, metadata={"description": "Number of pages (≥ 1)."})


class PageLinksSchema(LinksSchema):
    first = fields.Url(required=True)
    last = fields.Url(required=True)
    next = fields.Url(required=True, allow_none=True)
    prev = fields.Url(required=True, allow_none=True)


class PageSchema(Schema):
    """The envelope of one page; subclasses declare `items`.

    Dumps {"items": [...], "meta": Page, "links": {...}}.
    """

    meta = fields.Nested(PageMetaSchema, required=True)
    links = fields.Nested(PageLinksSchema, required=True)
