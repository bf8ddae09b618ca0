"""Excel workbooks (.xlsx): the first sheet (or the one chosen), read as a table.

The sheet's XML is streamed through expat (importers/xlsx_parts.py), a chunk at a time,
so memory does not grow with the number of rows. A cell's value is what Excel saved: a
formula is never evaluated (its saved result is read, and a formula without one is an
empty cell). Values are read as openpyxl's read-only, data_only mode gives them: shared
and inline strings, numbers, dates by their cell style, booleans, formula results and
error codes. The first non-empty row is the header; columns are mapped like a CSV's
(importers/columns.py).
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pyexpat import ExpatError
from typing import Any, BinaryIO

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from importers.source import RawRecord, reject
from importers.tabular import TableOptions, records
from importers.xlsx_parts import (
    WORKBOOK_PART,
    DoctypeRefused,
    Workbook,
    name,
    parse_part,
    read_workbook,
)
from registry.schemas.common import whole_number

# A cell beyond this column is refused (a crafted file could otherwise make every row a
# million cells).
MAX_COLUMNS = 1000

_ROW, _CELL, _VALUE, _TEXT, _PHONETIC = (name(tag) for tag in ("row", "c", "v", "t", "rPh"))
_DIGITS = "0123456789"


def check_workbook(stream: BinaryIO) -> str:
    """'xlsx' when this ZIP file is an Excel workbook; rewinds. Raises ImportRejected."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, UnicodeDecodeError, NotImplementedError, ValueError, OSError):
        # A damaged central directory, a member name in broken UTF-8 or a ZIP version
        # the zipfile module does not know.
        raise reject(_("Dit ZIP-bestand is beschadigd.")) from None
    finally:
        stream.seek(0)
    if WORKBOOK_PART not in names:
        raise reject(_("Dit ZIP-bestand is geen Excel-werkmap (.xlsx). Pak het uit en "
                       "importeer het exportbestand zelf."))
    return "xlsx"


def parse(stream: BinaryIO, options: TableOptions | None = None) -> Iterator[RawRecord]:
    """Yield each row of the sheet as a record. Raises ImportRejected for a file that is
    not a readable workbook, an unknown sheet, a cell beyond MAX_COLUMNS or a bad header."""
    options = options or TableOptions()
    check_workbook(stream)
    with _unreadable_refused(), zipfile.ZipFile(stream) as archive:
        workbook = read_workbook(archive)
        title, part = _sheet(workbook, options.sheet)
        found = sheet_rows(archive, part, workbook)
        header = next(found, None)
        if header is None:
            raise reject(_("Het werkblad '%(sheet)s' is leeg.", sheet=title))
        yield from records([_header_cell(c) for c in header[1]], found, options)


@contextmanager
def _unreadable_refused() -> Iterator[None]:
    """A damaged ZIP or XML, a missing part or a DTD, refused in Dutch."""
    try:
        yield
    except DoctypeRefused:
        raise reject(_("De Excel-werkmap bevat een DTD; die wordt geweigerd.")) from None
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, ExpatError, KeyError,
            RuntimeError, NotImplementedError, OSError, UnicodeDecodeError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression;
        # LZMAError, OSError (bz2): a damaged member.
        raise reject(_("De Excel-werkmap is niet te lezen (%(error)s).",
                       error=str(error)[:200])) from None


def _sheet(workbook: Workbook, chosen: str | None) -> tuple[str, str]:
    if not workbook.sheets:
        raise reject(_("De Excel-werkmap heeft geen werkblad."))
    if chosen is None:
        return next(iter(workbook.sheets.items()))
    if chosen not in workbook.sheets:
        raise reject(_("De werkmap heeft geen werkblad '%(sheet)s' (wel: %(sheets)s).",
                       sheet=chosen, sheets=", ".join(workbook.sheets)), "sheet")
    return chosen, workbook.sheets[chosen]


def _header_cell(cell: Any) -> str:
    return str(cell) if cell is not None else ""


def sheet_rows(archive: zipfile.ZipFile, part: str,
               workbook: Workbook) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for each row of the sheet with a non-blank cell; a cell
    missing between two others is None."""
    done: list[tuple[int, list[Any]]] = []
    start, end, text = _row_handlers(workbook, done)
    for _chunk in parse_part(archive, part, start, end, text):
        if done:
            yield from done
            done.clear()


def _row_handlers(workbook: Workbook, done: list[tuple[int, list[Any]]]):
    """expat's start, end and text handlers for one sheet part, appending each finished
    row to done. This is the hot loop of the import (every cell passes through all
    three), hence closures over local state rather than attributes of an object."""
    strings, columns = workbook.strings, _COLUMNS
    number = 0
    cells: list[Any] = []
    kind = "n"
    style = ""
    pieces: list[str] = []
    collecting = False
    phonetic = 0

    def start(element: str, attrs: dict[str, str]) -> None:
        nonlocal number, cells, kind, style, pieces, collecting, phonetic
        if element == _CELL:
            reference = attrs.get("r")
            filled = len(cells)
            if reference:
                column = columns.get(reference.rstrip(_DIGITS)) or _column(reference)
            else:
                column = filled + 1
            if column != filled + 1 or column > MAX_COLUMNS:
                _check_column(column, filled, number, reference)
                cells.extend([None] * (column - 1 - filled))
            kind = attrs.get("t", "n")
            style = attrs.get("s", "")
            pieces = []
        elif element == _VALUE:
            collecting = True
        elif element == _TEXT:
            collecting = not phonetic
        elif element == _ROW:
            number = _row_number(attrs.get("r"), number)
            cells = []
        elif element == _PHONETIC:
            phonetic += 1

    def text(data: str) -> None:
        if collecting:
            pieces.append(data)

    def end(element: str) -> None:
        nonlocal collecting, phonetic
        if element in (_VALUE, _TEXT):
            collecting = False
        elif element == _CELL:
            value = "".join(pieces)
            if value and kind == "inlineStr":  # the common cases first, without a call
                cells.append(value)
            elif kind == "s" and (index := whole_number(value)) is not None and index < len(
                    strings):
                cells.append(strings[index])
            else:
                cells.append(_value(workbook, kind, style, value, number, len(cells)))
        elif element == _ROW:
            if any(c is not None and (c.strip() if isinstance(c, str) else True)
                   for c in cells):
                done.append((number, cells))
        elif element == _PHONETIC:
            phonetic -= 1

    return start, end, text


def _check_column(column: int, filled: int, row: int, reference: str | None) -> None:
    """Refuse a cell that is not the next one of its row, unless it skips empty cells
    (Excel leaves them out) within MAX_COLUMNS."""
    if column < 1:
        raise reject(_("Rij %(row)s: '%(reference)s' is geen celverwijzing.",
                       row=row, reference=(reference or "")[:20]))
    if column > MAX_COLUMNS:
        raise reject(_("Rij %(row)s: een cel in kolom %(column)s; meer dan "
                       "%(max)s kolommen worden niet gelezen.", row=row,
                       column=reference, max=MAX_COLUMNS))
    if column <= filled:
        raise reject(_("Rij %(row)s, kolom %(column)s: de cel staat niet na de "
                       "vorige cel van de rij.", row=row, column=get_column_letter(column)))


def _value(workbook: Workbook, kind: str, style: str, text: str, row: int,
           before: int) -> Any:
    """A cell's value from its type (t), style (s) and text, as openpyxl gives it."""
    if not text:
        return None
    if kind == "inlineStr":
        return text
    try:
        if kind == "s":
            return workbook.strings[int(text)]
        if kind == "n":
            return _number(workbook, text, style)
        if kind == "b":
            return bool(int(text))
    except (ValueError, IndexError):
        raise reject(_("Rij %(row)s, kolom %(column)s: '%(value)s' is geen geldige "
                       "celwaarde van het type '%(type)s'.", row=row,
                       column=get_column_letter(before + 1), value=text[:40],
                       type=kind)) from None
    return text  # "str" (a formula's result), "e" (an error code), "d" (ISO date)


def _number(workbook: Workbook, text: str, style: str) -> Any:
    value = float(text) if "." in text or "E" in text or "e" in text else int(text)
    if not style or int(style) not in workbook.date_styles:
        return value
    epoch = CALENDAR_MAC_1904 if workbook.epoch_1904 else CALENDAR_WINDOWS_1900
    try:
        return from_excel(value, epoch, timedelta=int(style) in workbook.timedelta_styles)
    except (OverflowError, ValueError):
        return value  # a date beyond the calendar: the number as saved


_COLUMNS: dict[str, int] = {}


def _column(reference: str) -> int:
    """1 for "A7", 28 for "AB7"; 0 for what is not a cell reference."""
    letters = reference.rstrip(_DIGITS)
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                return 0
            index = index * 26 + ord(letter) - 64
        if len(_COLUMNS) < 4 * MAX_COLUMNS:
            _COLUMNS[letters] = index
    return index


def _row_number(reference: str | None, previous: int) -> int:
    if not reference:
        return previous + 1
    number = whole_number(reference)
    if number is None:
        raise reject(_("Na rij %(row)s: '%(reference)s' is geen rijnummer.",
                       row=previous, reference=reference[:20]))
    return number
