"""The parts of an Excel workbook (.xlsx) that the import reads, and the one safe way of
parsing them.

A workbook is a ZIP of XML parts: xl/workbook.xml names the sheets, its relationships
(xl/_rels/workbook.xml.rels) say which part holds each sheet, xl/sharedStrings.xml holds
the text that cells refer to by number and xl/styles.xml says which cell styles are
dates. Every part is parsed by expat (the standard library's C parser) with a DTD
refused: without a DTD no entity can be declared, so nothing can expand (billion laughs)
and nothing external is fetched. A part whose unpacked size is above MAX_PART_BYTES is
refused before it is read (a ZIP bomb), as is one that unpacks to more than MAX_RATIO
times its packed size; zipfile never reads more than the size it declares.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pyexpat import ParserCreate

from flask_babel import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

from importers.source import reject

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHARED_STRINGS = "xl/sharedStrings.xml"
_STYLES = "xl/styles.xml"
# A 100,000-row export unpacks to about 150 MB of sheet XML; a part far larger than an
# upload could plausibly hold is a ZIP bomb.
MAX_PART_BYTES = 512 * 1024 * 1024
# Shared strings held in memory at most: a 100,000-row export has far fewer distinct
# texts, while 512 MB of empty <si/> would be 100 million list entries (800 MB).
MAX_SHARED_STRINGS = 2_000_000
# Sheet XML packs about 6-10 times smaller (measured on exports of 100 to 10,000 rows),
# a very repetitive sheet a few times more. A part unpacking to more than MAX_RATIO times
# its packed size is a ZIP bomb: its cost is in the unpacked XML (about 0.3 s of CPU per
# MB of empty elements), so a small upload must not buy a minute of parsing. Parts under
# RATIO_FROM_BYTES unpacked are not judged by it.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
_CHUNK = 64 * 1024

StartHandler = Callable[[str, dict[str, str]], None]


class DoctypeRefused(ValueError):
    """A part of the workbook declares a DTD."""


def name(local: str, namespace: str = MAIN) -> str:
    """An element's name as expat reports it with namespaces ("uri local")."""
    return f"{namespace} {local}"


def parse_part(archive: zipfile.ZipFile, part: str, start: StartHandler | None = None,
               end: Callable[[str], None] | None = None,
               text: Callable[[str], None] | None = None) -> Iterator[None]:
    """Feed one part to expat with these handlers, yielding after each chunk (a caller
    that collects rows hands them on there). Raises ImportRejected for an oversized part,
    DoctypeRefused for a DTD, ExpatError for XML that is not well formed, KeyError for a
    missing part."""
    info = archive.getinfo(part)
    if info.file_size > MAX_PART_BYTES:
        raise reject(_("Het onderdeel %(part)s van de werkmap is uitgepakt groter dan "
                       "%(limit)s MB; zo groot kan een export niet zijn.",
                       part=part, limit=MAX_PART_BYTES // (1024 * 1024)))
    if info.file_size > max(RATIO_FROM_BYTES, MAX_RATIO * info.compress_size):
        raise reject(_("Het onderdeel %(part)s van de werkmap wordt uitgepakt meer dan "
                       "%(ratio)s keer zo groot; zo is geen export gemaakt.",
                       part=part, ratio=MAX_RATIO))
    parser = ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


def _refuse_doctype(*_args) -> None:
    raise DoctypeRefused


def read_part(archive: zipfile.ZipFile, part: str, start: StartHandler | None = None,
              end: Callable[[str], None] | None = None,
              text: Callable[[str], None] | None = None) -> None:
    """parse_part, to the end."""
    for _chunk in parse_part(archive, part, start, end, text):
        pass


@dataclass
class Workbook:
    """What the sheet reader needs to know of the workbook besides the sheet itself."""

    sheets: dict[str, str]  # sheet name → part, in the workbook's order
    epoch_1904: bool
    strings: list[str]
    date_styles: set[int]
    timedelta_styles: set[int]


def read_workbook(archive: zipfile.ZipFile) -> Workbook:
    """The workbook's sheets, date system, shared strings and date styles."""
    sheets, epoch_1904 = _sheets(archive)
    dates, timedeltas = _date_styles(archive)
    return Workbook(sheets, epoch_1904, _shared_strings(archive), dates, timedeltas)


def _sheets(archive: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    targets: dict[str, str] = {}

    def relationship(element: str, attrs: dict[str, str]) -> None:
        if element == name("Relationship", _PACKAGE):
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    read_part(archive, _WORKBOOK_RELS, relationship)
    found: dict[str, str] = {}
    epoch_1904 = [False]

    def sheet(element: str, attrs: dict[str, str]) -> None:
        if element == name("workbookPr"):
            epoch_1904[0] = attrs.get("date1904") in ("1", "true")
        elif element == name("sheet"):
            target = targets.get(attrs.get(name("id", _RELATIONSHIP), ""))
            if target:
                found[attrs.get("name", "")] = _part(target)

    read_part(archive, WORKBOOK_PART, sheet)
    return found, epoch_1904[0]


def _part(target: str) -> str:
    """A relationship's target as a name in the ZIP (absolute, or relative to xl/)."""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table: one text per <si>, its runs joined, phonetic runs left
    out and Excel's escape of a literal "_x" undone, as openpyxl reads it."""
    if _SHARED_STRINGS not in archive.namelist():
        return []
    strings: list[str] = []
    pieces: list[str] = []
    state = {"text": False, "phonetic": 0}
    item, text_tag, phonetic = name("si"), name("t"), name("rPh")

    def start(element: str, _attrs: dict[str, str]) -> None:
        if element == text_tag:
            state["text"] = not state["phonetic"]
        elif element == phonetic:
            state["phonetic"] += 1

    def end(element: str) -> None:
        if element == text_tag:
            state["text"] = False
        elif element == phonetic:
            state["phonetic"] -= 1
        elif element == item:
            if len(strings) >= MAX_SHARED_STRINGS:
                raise reject(_("De werkmap heeft meer dan %(max)s verschillende teksten; "
                               "splits het bestand.", max=MAX_SHARED_STRINGS))
            strings.append("".join(pieces).replace("x005F_", ""))
            pieces.clear()

    def text(data: str) -> None:
        if state["text"]:
            pieces.append(data)

    read_part(archive, _SHARED_STRINGS, start, end, text)
    return strings


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """The cell styles (positions in <cellXfs>) whose number format is a date, and those
    whose format is a duration."""
    if _STYLES not in archive.namelist():
        return set(), set()
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    styles: list[int] = []
    inside = [False]

    def start(element: str, attrs: dict[str, str]) -> None:
        if element == name("numFmt"):
            formats[_number(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif element == name("cellXfs"):
            inside[0] = True
        elif element == name("xf") and inside[0]:
            styles.append(_number(attrs.get("numFmtId")))

    def end(element: str) -> None:
        if element == name("cellXfs"):
            inside[0] = False

    read_part(archive, _STYLES, start, end)
    dates = {i for i, fmt in enumerate(styles) if is_date_format(formats.get(fmt))}
    durations = {i for i in dates if is_timedelta_format(formats.get(styles[i]))}
    return dates, durations


def _number(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
