"""Reading ?pagina= and ?sorteer= on list pages, and refusing values that make no sense."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from registry.errors import DomainError, NotFound, details_from_marshmallow
from registry.services.catalogue import Page

# Far beyond any real catalogue; larger numbers would overflow the database's OFFSET.
MAX_PAGE = 100_000


def _list_query_schema(sorts: Iterable[str], default_sort: str) -> Schema:
    # Built per request so the Dutch (or English) messages follow the current locale.
    page_error = _("Het paginanummer moet een heel getal zijn, 1 of hoger.")
    sort_error = _("Kies een van deze volgordes: %(choices)s.", choices=", ".join(sorts))
    schema = Schema.from_dict(
        {
            "pagina": fields.Integer(
                load_default=1,
                strict=False,
                validate=validate.Range(min=1, error=page_error),
                error_messages={"invalid": page_error},
            ),
            "sorteer": fields.String(
                load_default=default_sort, validate=validate.OneOf(list(sorts), error=sort_error)
            ),
        }
    )
    return schema(unknown=EXCLUDE)


def read_list_query(args: MultiDict, sorts: Iterable[str], default_sort: str) -> tuple[int, str]:
    """The page number and sort key of a list page. Raises DomainError (400) when invalid."""
    try:
        data = _list_query_schema(sorts, default_sort).load(args.to_dict())
    except ValidationError as error:
        raise DomainError(
            _("Het adres van deze lijst bevat een waarde die we niet begrijpen."),
            details_from_marshmallow(error.messages),
        ) from error
    return data["pagina"], data["sorteer"]


def load_page(loader: Callable[[int, int, str], Page], page: int, sort: str) -> Page:
    """One page from a catalogue list function. Raises NotFound for a page past the end."""
    if page > MAX_PAGE:
        raise NotFound(_("Deze pagina bestaat niet."))
    return loader(page, current_app.config["PAGE_SIZE"], sort)
