"""What every parser shares: the record it yields, text decoding, and file-level errors.

A parser takes a binary stream and yields RawRecord one at a time (it never reads the
whole file into memory). A problem with one record goes into that record's `problems`;
a problem with the file as a whole raises ImportRejected, which rejects the import.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from flask_babel import gettext as _

from registry.errors import ImportRejected

# Longer than any real field; keeps a runaway line (or a 10 MB "title") out of memory
# twice over. The record is reported invalid, not the file.
MAX_FIELD_CHARS = 100_000
CHUNK = 64 * 1024


@dataclass
class RawRecord:
    """One record as a parser read it, in the study schema's load shape.

    number counts records from 1; line is where it starts (None where unknown).
    interventions holds the slugs it asks to be linked to (see README, Import).
    problems are (field, Dutch message) pairs found while parsing.
    """

    number: int
    data: dict[str, Any]
    line: int | None = None
    interventions: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def reject(message: str, field: str = "bestand") -> ImportRejected:
    """An ImportRejected naming the file as the problem (raise it)."""
    return ImportRejected(message, [{"field": field, "messages": [message]}])


def text_lines(stream: BinaryIO, encoding: str = "utf-8-sig") -> Iterator[str]:
    """Decoded lines without their line ending. Raises ImportRejected on invalid UTF-8."""
    reader = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline=None)
    number = 0
    try:
        for number, line in enumerate(reader, start=1):  # noqa: B007 (used in except)
            yield line.rstrip("\n")
    except UnicodeDecodeError:
        raise reject(_(
            "Het bestand is geen geldige UTF-8-tekst (rond regel %(line)s). "
            "Sla het op als UTF-8 en probeer het opnieuw.", line=number + 1
        )) from None
    finally:
        reader.detach()


def is_valid_utf8(stream: BinaryIO) -> bool:
    """Whether the whole stream decodes as UTF-8 (read in chunks); rewinds the stream."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def truncate_problem(data: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    """Replace any over-long text value by a stub and record the problem (in place)."""
    for key, value in list(data.items()):
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            data[key] = value[:200]
            problems.append((key, _("Veld is te lang (%(length)s tekens, maximaal %(max)s).",
                                    length=len(value), max=MAX_FIELD_CHARS)))
