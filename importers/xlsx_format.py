"""Excel workbooks (.xlsx): the first sheet (or the one chosen), read as a table.

Read with openpyxl in read-only mode, which streams the sheet's rows instead of loading
the workbook, and with data_only: a formula cell gives the value Excel saved with it and
is never evaluated. The first non-empty row is the header; columns are mapped like a
CSV's (importers/columns.py).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import load_workbook

from importers.source import RawRecord, reject
from importers.tabular import TableOptions, records

WORKBOOK_PART = "xl/workbook.xml"
# A sheet claiming more columns than this is refused before reading (a crafted file
# could otherwise make every row a million cells).
MAX_COLUMNS = 1000


def check_workbook(stream: BinaryIO) -> str:
    """'xlsx' when this ZIP file is an Excel workbook; rewinds. Raises ImportRejected."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise reject(_("Dit ZIP-bestand is beschadigd.")) from None
    finally:
        stream.seek(0)
    if WORKBOOK_PART not in names:
        raise reject(_("Dit ZIP-bestand is geen Excel-werkmap (.xlsx). Pak het uit en "
                       "importeer het exportbestand zelf."))
    return "xlsx"


def parse(stream: BinaryIO, options: TableOptions | None = None) -> Iterator[RawRecord]:
    """Yield each row of the sheet as a record. Raises ImportRejected for a file that is
    not a readable workbook, an unknown sheet, or a bad header."""
    options = options or TableOptions()
    check_workbook(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise reject(_("De Excel-werkmap is niet te lezen (%(error)s).",
                       error=str(error)[:200])) from None
    try:
        sheet = _sheet(workbook, options.sheet)
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise reject(_("Het werkblad heeft meer dan %(max)s kolommen.", max=MAX_COLUMNS))
        rows = _rows(sheet)
        header = next(rows, None)
        if header is None:
            raise reject(_("Het werkblad '%(sheet)s' is leeg.", sheet=sheet.title))
        yield from records([str(c) if c is not None else "" for c in header[1]], rows, options)
    finally:
        workbook.close()


def _sheet(workbook, name: str | None):
    if name is None:
        return workbook.worksheets[0]
    if name not in workbook.sheetnames:
        raise reject(_("De werkmap heeft geen werkblad '%(sheet)s' (wel: %(sheets)s).",
                       sheet=name, sheets=", ".join(workbook.sheetnames)), "sheet")
    return workbook[name]


def _rows(sheet) -> Iterator[tuple[int, list]]:
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(c is not None and str(c).strip() for c in cells):
            yield number, list(cells)
