"""Which format a file is in, from its first bytes (the file name only breaks a tie)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from importers import (
    bibtex,
    csl_json,
    csv_format,
    endnote_xml,
    json_format,
    medline,
    pubmed,
    ris,
    wos,
    xlsx_format,
)
from importers.columns import KNOWN, column_key
from importers.source import RawRecord, reject

PARSERS: dict[str, Callable[[BinaryIO], Iterator[RawRecord]]] = {
    "ris": ris.parse,
    "bibtex": bibtex.parse,
    "pubmed": pubmed.parse,
    "medline": medline.parse,
    "csv": csv_format.parse,
    "xlsx": xlsx_format.parse,
    "json": json_format.parse,
    "wos": wos.parse,
    "endnote_xml": endnote_xml.parse,
    "csl_json": csl_json.parse,
}
# Formats whose parser takes TableOptions (a column mapping) as well as the stream.
TABULAR = frozenset({"csv", "xlsx"})
# Formats read as lines of text in the detected encoding (importers/source.text_lines).
TEXT_LINES = frozenset({"ris", "bibtex", "medline", "wos"})
FORMAT_LABELS = {
    "ris": "RIS", "bibtex": "BibTeX", "pubmed": "PubMed XML", "medline": "MEDLINE/nbib",
    "csv": "CSV/TSV", "xlsx": "Excel (.xlsx)", "json": _l("JSON (registerformaat)"),
    "wos": wos.LABEL, "endnote_xml": endnote_xml.LABEL, "csl_json": csl_json.LABEL,
}  # fmt: skip
EXTENSIONS = {
    ".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".xml": "pubmed", ".nbib": "medline",
    ".medline": "medline", ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".xlsx": "xlsx",
    ".json": "json",
}  # fmt: skip
HEAD_BYTES = 64 * 1024
_RIS = re.compile(r"^[Tt][Yy]  - ", re.MULTILINE)
_MEDLINE = re.compile(r"^PMID- ?\d", re.MULTILINE)
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def detect_format(stream: BinaryIO, file_name: str | None = None) -> str:
    """The format name (a key of PARSERS); rewinds the stream.

    Raises ImportRejected for an empty file, binary content or an unknown format.
    """
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head.strip():
        raise reject(_("Het bestand is leeg."))
    if head.startswith(_ZIP):
        return xlsx_format.check_workbook(stream)
    if head.startswith(_OLE2):
        raise reject(_("Dit is een Excel-bestand met een wachtwoord of in het oude formaat "
                       "(.xls). Sla het op als .xlsx zonder wachtwoord, of als CSV."))
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="replace").lstrip("\ufeff \t\r\n")
        if _is_table_header(text):
            return "csv"
        raise reject(_("Alleen tabellen (CSV/TSV) mogen UTF-16 zijn. Sla het bestand op "
                       "als UTF-8."))
    if _looks_binary(head):
        raise reject(_("Dit is geen tekstbestand (binaire inhoud). Kies een exportbestand."))
    found = _from_content(head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n"))
    if found:
        return found
    by_name = EXTENSIONS.get(PurePath(file_name or "").suffix.lower())
    if by_name == "csv":
        return by_name
    raise reject(
        _("Onbekend formaat. Ondersteund: %(formats)s.",
          formats=", ".join(map(str, FORMAT_LABELS.values())))
    )


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(head) // 100


def _from_content(text: str) -> str | None:
    if text.startswith("<"):
        if endnote_xml.looks_like(text):
            return "endnote_xml"
        if "PubmedArticleSet" in text[:4096] or "PubmedBookArticleSet" in text[:4096]:
            return "pubmed"
        raise reject(_("Dit XML-bestand is geen PubMed- of EndNote-export (PubmedArticleSet "
                       "of <xml><records> verwacht)."))
    if text.startswith(("[", "{")):
        return "csl_json" if csl_json.looks_like(text) else "json"
    if wos.looks_like(text):
        return "wos"
    for name, pattern in (("ris", _RIS), ("medline", _MEDLINE), ("bibtex", _BIBTEX)):
        if pattern.search(text):
            return name
    return "csv" if _is_table_header(text) else None


def _is_table_header(text: str) -> bool:
    # A first line of at least two cells (comma, semicolon or tab) of which two or more
    # are columns the table knows, one of them the title.
    first = text.split("\n", 1)[0]
    delimiter = csv_format.delimiter_of(first)
    if delimiter is None:
        return False
    fields = {KNOWN.get(column_key(cell.strip('"'))) for cell in first.split(delimiter)}
    return "title" in fields and len(fields - {None}) >= 2


def parser_for(name: str) -> Callable[[BinaryIO], Iterator[RawRecord]]:
    """The parse function of a format name. Raises ImportRejected for an unknown name."""
    try:
        return PARSERS[name]
    except KeyError:
        raise reject(_("Onbekend formaat '%(name)s'.", name=name), "format") from None
