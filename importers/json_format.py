"""The registry's own JSON: what GET /api/v1/studies/<id> returns imports back unchanged.

Accepted shapes: one study object, a list of them (what export.py writes), or a page
envelope {"items": [...]}. ijson streams a list one study at a time.

Nesting is bounded (MAX_DEPTH): ijson's prefixes grow with depth, so a 200 KB file of
brackets once grew a server process to 22 GB. A study is at most five levels deep.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
from flask_babel import gettext as _

from importers.source import RawRecord, reject, truncate_problem

MAX_DEPTH = 20


class _TooDeep(Exception):
    pass


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each study object. Raises ImportRejected on JSON that is invalid or truncated."""
    try:
        yield from _records(stream)
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        # ValueError: a number beyond Python's digit limit for int conversion.
        message = _("Het JSON-bestand is ongeldig of onvolledig. Er is niets opgeslagen.")
        raise reject(message) from None
    except _TooDeep:
        message = _(
            "Het JSON-bestand is te diep genest (meer dan %(max)s niveaus). "
            "Er is niets opgeslagen.", max=MAX_DEPTH,
        )
        raise reject(message) from None


def _items(stream: BinaryIO, prefix: str) -> Iterator[Any]:
    """ijson.items over events that stop at MAX_DEPTH (raises _TooDeep)."""
    return ijson.items(ijson.parse(_depth_limited(ijson.basic_parse(stream))), prefix)


def _depth_limited(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    depth = 0
    for event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep
        elif event in ("end_map", "end_array"):
            depth -= 1
        yield event, value


def _first_char(stream: BinaryIO) -> bytes:
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return head[:1]


def _records(stream: BinaryIO) -> Iterator[RawRecord]:
    first = _first_char(stream)
    if first == b"[":
        items = _items(stream, "item")
    elif first == b"{":
        items = _object_items(stream)
    else:
        raise reject(_("Het JSON-bestand bevat geen studie en geen lijst van studies."))
    for number, item in enumerate(items, start=1):
        yield _record(number, item)


def _object_items(stream: BinaryIO) -> Iterator[Any]:
    found = False
    for item in _items(stream, "items.item"):
        found = True
        yield item
    if not found:
        stream.seek(0)
        yield from _items(stream, "")


def _record(number: int, item: Any) -> RawRecord:
    if not isinstance(item, dict):
        return RawRecord(number, {},
                         problems=[("record", _("Een studie moet een JSON-object zijn."))])
    data = dict(item)
    slugs = data.pop("interventions", None) or []
    record = RawRecord(number, data)
    if isinstance(slugs, list) and all(isinstance(s, str) for s in slugs):
        record.interventions = [s.strip().lower() for s in slugs if s.strip()]
    else:
        record.problems.append(("interventions", _("Moet een lijst van interventie-slugs zijn.")))
    truncate_problem(record.data, record.problems)
    return record
