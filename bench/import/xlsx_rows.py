"""A sketch of the change proposed for importers/xlsx_format.py, to measure it: the
sheet's rows read straight from the workbook's XML with the standard library's iterparse
(expat through ElementTree's C parser), instead of openpyxl's read-only worksheet.

openpyxl (read-only) pays three times per file that this does not: it parses the whole
sheet once more when the sheet has no <dimension> element (ReadOnlyWorksheet.__init__ →
_get_size → parse_dimensions only stops at the end of <sheetData>, i.e. the end of the
file; openpyxl's own write_only files have none); with defusedxml installed its
iterparse is defusedxml's, which runs ElementTree's pure-Python XMLParser (every start,
end and text event a Python call); and each inline-string cell is built as a
Serialisable Text object. Values here are what openpyxl's read-only, data_only rows give
for the cell types a table export holds (shared and inline strings, numbers, dates by
their number format, booleans, formula results, errors); not measured: rich-text
phonetic runs, the x005F_ escape. Not used by the import: bench/import/run.py times it
(`--profile xlsx`), and checks that it yields the same rows as openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_C, _V, _IS, _T, _R = f"{_NS}c", f"{_NS}v", f"{_NS}is", f"{_NS}t", f"{_NS}r"
_ROW = f"{_NS}row"
_COLUMN = re.compile(r"[A-Z]+")


_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
PROLOG_LIMIT = 64 * 1024


def _iterparse(archive: zipfile.ZipFile, name: str, events: tuple[str, ...] = ("end",)):
    """iterparse over one part of the workbook, with ElementTree's C parser.

    A part whose prolog holds a DTD (or is longer than PROLOG_LIMIT, or is not UTF-8/
    ASCII-compatible) is refused. Without a DTD no entity can be declared, so nothing can
    expand (billion laughs, quadratic blow-up) and nothing external can be fetched:
    stricter than defusedxml's defaults, which allow a DTD without entities.
    """
    with archive.open(name) as part:
        head, position = part.read(PROLOG_LIMIT), 0
    while match := _PROLOG_ITEM.match(head, position):
        if match.end() == position:
            break
        position = match.end()
    rest = head[position:].lstrip()
    if not rest.startswith(b"<") or rest[1:2] in (b"!", b"?"):
        raise ValueError(f"{name}: a DTD or an unreadable prolog")
    source = archive.open(name)
    return iterparse(source, events)  # noqa: S314 (the prolog is checked above: no DTD)


def _part(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The first sheet's part name, and whether the workbook counts from 1904."""
    rels = {}
    for _event, element in _iterparse(archive, "xl/_rels/workbook.xml.rels"):
        if element.tag == f"{_PKG_NS}Relationship":
            rels[element.get("Id")] = element.get("Target")
    sheet, date1904 = None, False
    for _event, element in _iterparse(archive, "xl/workbook.xml"):
        if element.tag == f"{_NS}workbookPr":
            date1904 = element.get("date1904") in ("1", "true")
        elif element.tag == f"{_NS}sheet" and sheet is None:
            sheet = rels[element.get(f"{_REL_NS}id")]
    return _part(sheet), date1904


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _event, element in _iterparse(archive, "xl/sharedStrings.xml"):
        if element.tag == f"{_NS}si":
            strings.append(_inline(element))
            element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in archive.namelist():
        return set()
    formats, styles, in_cell_xfs = dict(BUILTIN_FORMATS), [], False
    for event, element in _iterparse(archive, "xl/styles.xml", ("start", "end")):
        if element.tag == f"{_NS}cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and element.tag == f"{_NS}numFmt":
            formats[int(element.get("numFmtId"))] = element.get("formatCode")
        elif event == "end" and element.tag == f"{_NS}xf" and in_cell_xfs:
            styles.append(int(element.get("numFmtId", 0)))
    return {index for index, fmt in enumerate(styles) if is_date_format(formats.get(fmt))}


def _inline(element) -> str:
    # <si>/<is>: one <t>, or runs <r><t>…</t></r>; phonetic runs (<rPh>) are not text.
    return "".join((child.text if child.tag == _T else child.findtext(_T)) or ""
                   for child in element if child.tag in (_T, _R))


def _column(reference: str) -> int:
    index = 0
    for letter in _COLUMN.match(reference).group(0):
        index = index * 26 + ord(letter) - 64
    return index


def rows(stream: BinaryIO) -> Iterator[tuple[int, list]]:
    """(row number, cells) per non-empty row of the first sheet, as xlsx_format._rows."""
    with zipfile.ZipFile(stream) as archive:
        sheet, date1904 = _first_sheet(archive)
        strings, dates = _shared_strings(archive), _date_styles(archive)
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        number = 0
        for _event, row in _iterparse(archive, sheet):
            if row.tag != _ROW:
                continue
            number = int(row.get("r") or number + 1)
            cells: list = []
            for cell in row.iter(_C):
                reference = cell.get("r")
                column = _column(reference) if reference else len(cells) + 1
                cells.extend([None] * (column - 1 - len(cells)))
                cells.append(_value(cell, strings, dates, epoch))
            row.clear()
            if any(c is not None and str(c).strip() for c in cells):
                yield number, cells


def _value(cell, strings: list[str], dates: set[int], epoch):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        found = cell.find(_IS)
        return _inline(found) if found is not None else None
    text = cell.findtext(_V)
    if not text:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind == "n":
        value = float(text) if "." in text or "E" in text or "e" in text else int(text)
        style = int(cell.get("s", 0))
        return from_excel(value, epoch) if style and style in dates else value
    if kind == "b":
        return bool(int(text))
    return text  # "str" (a formula's result), "e" (an error), "d" (ISO date text)


def parse(stream: BinaryIO, options=None):
    """importers.xlsx_format.parse with this reader (first sheet; no sheet choice)."""
    from importers.tabular import TableOptions, records

    options = options or TableOptions()
    found = rows(stream)
    header = next(found, None)
    if header is None:
        return
    yield from records([str(c) if c is not None else "" for c in header[1]], found, options)
