"""The registry's own JSON: what GET /api/v1/studies/<id> returns imports back unchanged.

Accepted shapes: one study object, a list of them (what export.py writes), or a page
envelope {"items": [...]}. ijson streams a list one study at a time. An author may be
an object (as exported) or a name, "Family, Given".

Nesting is bounded (importers/json_stream.py MAX_DEPTH).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from flask_babel import gettext as _

from importers.json_stream import items, rejecting_bad_json
from importers.normalise import parse_author
from importers.source import RawRecord, reject, truncate_problem


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each study object. Raises ImportRejected on JSON that is invalid, truncated
    or too deep."""
    yield from rejecting_bad_json(_records(stream))


def _first_char(stream: BinaryIO) -> bytes:
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return head[:1]


def _records(stream: BinaryIO) -> Iterator[RawRecord]:
    first = _first_char(stream)
    if first == b"[":
        studies = items(stream, "item")
    elif first == b"{":
        studies = _object_items(stream)
    else:
        raise reject(_("Het JSON-bestand bevat geen studie en geen lijst van studies."))
    for number, item in enumerate(studies, start=1):
        yield _record(number, item)


def _object_items(stream: BinaryIO) -> Iterator[Any]:
    found = False
    for item in items(stream, "items.item"):
        found = True
        yield item
    if not found:
        stream.seek(0)
        yield from items(stream, "")


def _record(number: int, item: Any) -> RawRecord:
    if not isinstance(item, dict):
        return RawRecord(number, {},
                         problems=[("record", _("Een studie moet een JSON-object zijn."))])
    data = dict(item)
    if isinstance(data.get("authors"), list):
        data["authors"] = _authors(data["authors"])
    slugs = data.pop("interventions", None) or []
    record = RawRecord(number, data)
    if isinstance(slugs, list) and all(isinstance(s, str) for s in slugs):
        record.interventions = [s.strip().lower() for s in slugs if s.strip()]
    else:
        record.problems.append(("interventions", _("Moet een lijst van interventie-slugs zijn.")))
    truncate_problem(record.data, record.problems)
    return record


def _authors(authors: list[Any]) -> list[Any]:
    # A hand-written file may name an author as text, "Family, Given" as in RIS; the
    # export writes objects. Anything else is left for validation to report.
    named = [parse_author(a) if isinstance(a, str) else a for a in authors]
    return [a for a in named if a is not None]


