"""Streaming JSON for the import formats (the registry's JSON, CSL-JSON): ijson with a
bound on nesting, and one way of refusing a file that is not good JSON.

Nesting is bounded (MAX_DEPTH): ijson's prefixes grow with depth, so a 200 KB file of
brackets once grew a server process to 22 GB. A study is at most five levels deep.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
from flask_babel import gettext as _

from importers.source import RawRecord, reject

MAX_DEPTH = 20


class TooDeep(Exception):
    """The JSON nests deeper than MAX_DEPTH."""


def depth_limited(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """ijson basic_parse events, raising TooDeep past MAX_DEPTH."""
    depth = 0
    for event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep
        elif event in ("end_map", "end_array"):
            depth -= 1
        yield event, value


_BOM = b"\xef\xbb\xbf"


def items(stream: BinaryIO, prefix: str) -> Iterator[Any]:
    """ijson.items under the depth bound; a bare ValueError from ijson (a number past
    int()'s 4300-digit limit, wherever in its pipeline it surfaces) becomes JSONError
    like any other bad JSON. A UTF-8 byte order mark where the stream stands is skipped
    (editors on Windows write one; ijson takes it for bad JSON). Raises TooDeep,
    ijson.JSONError."""
    start = stream.tell()
    if stream.read(len(_BOM)) != _BOM:
        stream.seek(start)
    found = ijson.items(ijson.parse(depth_limited(ijson.basic_parse(stream))), prefix)
    while True:
        try:
            item = next(found)
        except StopIteration:
            return
        except ValueError as error:
            if isinstance(error, UnicodeDecodeError):
                raise
            raise ijson.JSONError(str(error)) from None
        yield item


def rejecting_bad_json(records: Iterator[RawRecord]) -> Iterator[RawRecord]:
    """The records, with invalid, truncated or too deep JSON refused as a whole."""
    try:
        yield from records
    except (ijson.JSONError, UnicodeDecodeError):
        raise reject(_("Het JSON-bestand is ongeldig of onvolledig. Er is niets opgeslagen.")
                     ) from None
    except TooDeep:
        raise reject(_("Het JSON-bestand is te diep genest (meer dan %(max)s niveaus). "
                       "Er is niets opgeslagen.", max=MAX_DEPTH)) from None
