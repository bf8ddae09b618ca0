"""URL converters: `<int:...>` matches only ids the database can hold.

Ids are 32-bit integer columns on PostgreSQL (SQLite's are 64-bit). Werkzeug's own
`int` converter takes any number of digits, so /studies/2147483648 reached the database
and failed there (DataError on PostgreSQL, OverflowError past 2**63 on SQLite) as a 500.
Replacing the `int` converter once makes every route, page or API, answer such a URL
the way it answers any other unknown URL: 404.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from registry.schemas.common import MAX_INTEGER

# Every id is an integer column.
MAX_ID = MAX_INTEGER


def at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..limit (limit ≥ 0).

    Numbers with fewer digits, then for each position: the same leading digits as
    limit, one smaller digit, any digits after; then limit itself.
    """
    digits = str(limit)
    options = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - position - 1
            tail = rf"\d{{{rest}}}" if rest else ""
            options.append(f"{digits[:position]}[0-{int(digit) - 1}]{tail}")
    options.append(digits)
    return f"(?:{'|'.join(options)})"


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's `int` converter with `max` at most MAX_ID, enforced by its pattern.

    In the pattern, not only in to_python: a value that fails to_python after the path
    matched turns into a 405 when the same path has a rule for another method.
    """

    def __init__(self, map: Map, *args: Any, max: int | None = None, **kwargs: Any):
        bound = MAX_ID if max is None else min(max, MAX_ID)
        super().__init__(map, *args, max=bound, **kwargs)
        self.regex = ("-?" if self.signed else "") + at_most(bound)


def register_converters(app: Flask) -> None:
    """Make `<int:...>` bounded. Call before any rule is added: rules bind converters then."""
    app.url_map.converters["int"] = BoundedIntConverter
