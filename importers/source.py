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


_BOMS = ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
BOM = "\ufeff"


def detect_encoding(stream: BinaryIO) -> str:
    """The text's encoding: UTF-16 by its BOM, UTF-8 (with or without BOM) when the whole
    stream decodes as such, else Windows-1252 (what Windows programs save, Latin-1
    included); rewinds the stream. Raises ImportRejected for a file that mixes UTF-8 and
    other lines, or that none of these decodes."""
    head = stream.read(2)
    stream.seek(0)
    encoding = next((name for bom, name in _BOMS if head == bom), None)
    if encoding is None:
        encoding = "utf-8-sig" if is_valid_utf8(stream) else "cp1252"
    if encoding == "cp1252":
        _refuse_mixed_encoding(stream)
    if encoding != "utf-8-sig" and not _decodes(stream, encoding):
        raise reject(_("Het bestand is geen UTF-8-, UTF-16- of Windows-1252-tekst (gemengde "
                       "of onbekende tekenset). Sla het op als UTF-8."))
    return encoding


def encoding_note(encoding: str) -> str | None:
    """What the import report says of a detected encoding other than UTF-8."""
    if encoding == "utf-8-sig":
        return None
    label = "UTF-16" if encoding == "utf-16" else "Windows-1252"
    return _("Tekenset herkend als %(encoding)s.", encoding=label)


def _refuse_mixed_encoding(stream: BinaryIO) -> None:
    # Not UTF-8 as a whole: if some lines are UTF-8 with accents and others are not,
    # the file was pasted together from two encodings; reading it as Windows-1252 would
    # garble the UTF-8 lines without a word.
    utf8_line = other_line = None
    try:
        for number, line in enumerate(stream, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_line = utf8_line or number
            except UnicodeDecodeError:
                other_line = other_line or number
            if utf8_line and other_line:
                raise reject(_("De tekenset is gemengd: regel %(utf8)s is UTF-8, regel "
                               "%(other)s niet. Sla het bestand op als UTF-8.",
                               utf8=utf8_line, other=other_line))
    finally:
        stream.seek(0)


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def text_lines(stream: BinaryIO, encoding: str | None = None) -> Iterator[str]:
    """Decoded lines without their line ending or a byte order mark at their start (files
    pasted together carry one in the middle), in the detected encoding unless one is
    given. Raises ImportRejected when the text cannot be decoded (detect_encoding)."""
    reader = io.TextIOWrapper(stream, encoding=encoding or detect_encoding(stream),
                              errors="strict", newline=None)
    try:
        for line in reader:
            yield line.rstrip("\n").removeprefix(BOM)
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
