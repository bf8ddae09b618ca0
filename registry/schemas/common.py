"""Fields and schemas shared by every area, and the one error shape of the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale
from marshmallow import RAISE, Schema, fields, missing, pre_load, validate

from registry.evidence import LABELS

# The largest value of a PostgreSQL `integer` column: every id and count is one, and a
# larger number must be refused as invalid input before the database fails on it.
MAX_INTEGER = 2**31 - 1
_MAX_DIGITS = len(str(MAX_INTEGER))


def whole_number(value: str | None, *, signed: bool = False) -> int | None:
    """The number a form field, query parameter or file cell holds, when it is one a
    column can take: ASCII digits (an optional minus when `signed`) within MAX_INTEGER;
    None for anything else. str.isdigit() let "²" through to int(), which raised, and
    set no bound, so a long number overflowed the database."""
    text = (value or "").strip()
    digits = text[1:] if signed and text.startswith("-") else text
    if not (digits.isascii() and digits.isdecimal()) or len(digits) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if abs(number) <= MAX_INTEGER else None


def count_field(**kwargs: Any) -> fields.Integer:
    """A count or number of months: 0 up to MAX_INTEGER (what the columns hold), or null."""
    return fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_INTEGER),
                          **kwargs)


def dutch_label(status: str | None) -> str | None:
    """The Dutch label of a status or level code (the API speaks Dutch first)."""
    if status is None:
        return None
    with force_locale("nl"):
        return str(LABELS.get(status, status))


class _FromGetter:
    """Take the value from getter(obj) instead of an attribute; always read-only.

    Typed subclasses (ComputedString, ComputedList, ...) keep the OpenAPI document exact,
    which fields.Function and fields.Method cannot.
    """

    def __init__(self, *args: Any, getter: Callable[[Any], Any], **kwargs: Any):
        kwargs.setdefault("dump_only", True)
        super().__init__(*args, **kwargs)
        self.getter = getter

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.getter(obj)


class ComputedString(_FromGetter, fields.String):
    """A read-only string computed from the object."""


class ComputedList(_FromGetter, fields.List):
    """A read-only list computed from the object."""


class ComputedNested(_FromGetter, fields.Nested):
    """A read-only nested object computed from the object."""


class ComputedFloat(_FromGetter, fields.Float):
    """A read-only number computed from the object."""


class ComputedDict(_FromGetter, fields.Dict):
    """A read-only object of strings computed from the object."""


class TermCode(fields.String):
    """A vocabulary term written as its code; loads back as the plain code.

    Whether the code exists is the loader's question (it needs the database).
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.code


class DecimalNumber(fields.Decimal):
    """A Decimal column written as a JSON number and read back as a Decimal."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(self._format_num(value))


class UtcDateTime(fields.AwareDateTime):
    """An RFC 3339 date-time that always carries its offset, written in UTC.

    Every timestamp is stored in UTC, but SQLite hands back naive datetimes even for
    timezone-aware columns (and PostgreSQL in the session's time zone): naive values are
    read as UTC, so the API's output never depends on the database.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return super()._serialize(aware, attr, obj, **kwargs)


class RoundTripSchema(Schema):
    """A schema that loads its own dump: read-only keys (id, links, derived values) are
    dropped on load rather than refused; any other unknown key is still an error."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _drop_read_only(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        read_only = {f.data_key or name for name, f in self.fields.items() if f.dump_only}
        return {key: value for key, value in data.items() if key not in read_only}


class TermRefSchema(Schema):
    """A vocabulary term as used on a record: its code and both labels."""

    code = fields.String(required=True)
    label_nl = fields.String(required=True)
    label_en = fields.String(required=True)


class LinksSchema(Schema):
    """Hyperlinks of one resource."""

    self = fields.Url(required=True, metadata={"description": "This resource in the API."})


class ErrorDetailSchema(Schema):
    field = fields.String(required=True, metadata={"description": "Dotted path, e.g. a.b"})
    messages = fields.List(fields.String(), required=True)


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "e.g. not_found"})
    message = fields.String(required=True, metadata={"description": "Dutch, for people"})
    details = fields.List(fields.Nested(ErrorDetailSchema), required=True)


class ErrorSchema(Schema):
    """The one error shape of every 4xx/5xx response (see registry.errors)."""

    error = fields.Nested(ErrorBodySchema, required=True)
