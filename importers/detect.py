"""Which format a file is in, from its first bytes (the file name only breaks a tie)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import BinaryIO

from flask_babel import gettext as _

from importers import bibtex, csv_format, json_format, medline, pubmed, ris
from importers.source import RawRecord, reject

PARSERS: dict[str, Callable[[BinaryIO], Iterator[RawRecord]]] = {
    "ris": ris.parse,
    "bibtex": bibtex.parse,
    "pubmed": pubmed.parse,
    "medline": medline.parse,
    "csv": csv_format.parse,
    "json": json_format.parse,
}
FORMAT_LABELS = {
    "ris": "RIS", "bibtex": "BibTeX", "pubmed": "PubMed XML", "medline": "MEDLINE/nbib",
    "csv": "CSV", "json": "JSON (registry)",
}  # fmt: skip
EXTENSIONS = {
    ".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".xml": "pubmed", ".nbib": "medline",
    ".medline": "medline", ".csv": "csv", ".json": "json",
}  # fmt: skip
HEAD_BYTES = 64 * 1024
_RIS = re.compile(r"^TY  - ", re.MULTILINE)
_MEDLINE = re.compile(r"^PMID- ?\d", re.MULTILINE)
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_CSV_HEADER = re.compile(r"^(?:\ufeff)?[^\n]*\b(title|titel)\b[^\n]*[,;]", re.IGNORECASE)


def detect_format(stream: BinaryIO, file_name: str | None = None) -> str:
    """The format name (a key of PARSERS); rewinds the stream.

    Raises ImportRejected for an empty file, binary content or an unknown format.
    """
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head.strip():
        raise reject(_("Het bestand is leeg."))
    if _looks_binary(head):
        raise reject(_("Dit is geen tekstbestand (binaire inhoud). Kies een exportbestand."))
    found = _from_content(head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n"))
    if found:
        return found
    by_name = EXTENSIONS.get(PurePath(file_name or "").suffix.lower())
    if by_name == "csv":
        return by_name
    raise reject(
        _("Onbekend formaat. Ondersteund: %(formats)s.", formats=", ".join(FORMAT_LABELS.values()))
    )


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(head) // 100


def _from_content(text: str) -> str | None:
    if text.startswith("<"):
        if "PubmedArticleSet" in text[:4096] or "PubmedBookArticleSet" in text[:4096]:
            return "pubmed"
        raise reject(_("Dit XML-bestand is geen PubMed-export (PubmedArticleSet verwacht)."))
    if text.startswith(("[", "{")):
        return "json"
    for name, pattern in (("ris", _RIS), ("medline", _MEDLINE), ("bibtex", _BIBTEX)):
        if pattern.search(text):
            return name
    return "csv" if _CSV_HEADER.match(text) else None


def parser_for(name: str) -> Callable[[BinaryIO], Iterator[RawRecord]]:
    """The parse function of a format name. Raises ImportRejected for an unknown name."""
    try:
        return PARSERS[name]
    except KeyError:
        raise reject(_("Onbekend formaat '%(name)s'.", name=name), "format") from None
