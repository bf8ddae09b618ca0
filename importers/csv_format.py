"""CSV with the documented header (README, Import; template via template_csv()).

Comma or semicolon (whichever the header line uses more), UTF-8 with or without BOM,
or Windows-1252 (what Excel on Dutch Windows saves): detected, not asked.
Lists in a cell (authors, keywords, interventions) are separated by "|" or ";".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from flask_babel import gettext as _

from importers.normalise import parse_author
from importers.source import RawRecord, is_valid_utf8, reject, truncate_problem

COLUMNS = (
    "title", "authors", "year", "journal", "publisher", "volume", "issue", "pages", "doi",
    "pmid", "url", "abstract", "language", "country", "keywords", "publication_type",
    "design", "n_intervention", "n_comparison", "setting", "follow_up_months", "interventions",
)  # fmt: skip
# Dutch column names researchers may type instead.
ALIASES = {
    "titel": "title", "auteurs": "authors", "jaar": "year", "tijdschrift": "journal",
    "uitgever": "publisher", "jaargang": "volume", "nummer": "issue", "paginas": "pages",
    "samenvatting": "abstract", "taal": "language", "land": "country",
    "trefwoorden": "keywords", "publicatietype": "publication_type", "opzet": "design",
    "interventies": "interventions",
}  # fmt: skip
LIST_COLUMNS = ("authors", "keywords", "interventions")
_LIST_SPLIT = re.compile(r"\s*[|;]\s*")
# A 10 MB cell must become a record error, not stop the reader (csv's default is 128 kB).
csv.field_size_limit(32 * 1024 * 1024)


def template_csv() -> str:
    """The downloadable template: the header and one example row."""
    example = {
        "title": "Effecten van IPS op betaald werk", "authors": "Berg, J. van der | Yılmaz, A.",
        "year": "2021", "journal": "Tijdschrift voor Arbeidsvraagstukken",
        "doi": "10.5555/voorbeeld.1", "language": "nl", "country": "NL",
        "keywords": "IPS | psychische problemen", "publication_type": "journal_article",
        "design": "rct", "n_intervention": "120", "n_comparison": "118",
        "follow_up_months": "12", "interventions": "",
    }  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(example)
    return buffer.getvalue()


def open_text(stream: BinaryIO) -> io.TextIOWrapper:
    """The stream as text in its detected encoding. Raises ImportRejected if undecodable."""
    encoding = "utf-8-sig" if is_valid_utf8(stream) else "cp1252"
    if encoding == "cp1252" and not _decodes(stream, encoding):
        raise reject(_("Het bestand is geen UTF-8 en geen Windows-1252-tekst."))
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    try:
        while chunk := stream.read(64 * 1024):
            chunk.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def header_columns(header: list[str], known: tuple[str, ...], aliases: dict) -> list[str]:
    """Map header cells to column names. Raises ImportRejected on unknown or missing ones."""
    names = [aliases.get(h.strip().lower(), h.strip().lower()) for h in header]
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in known]
    if unknown:
        raise reject(
            _("Onbekende kolommen: %(unknown)s. Gebruik de kolommen van het sjabloon: "
              "%(known)s.", unknown=", ".join(unknown), known=", ".join(known)),
            "kop",
        )
    return names


def rows(stream: BinaryIO, known: tuple[str, ...], aliases: dict) -> Iterator[tuple[int, dict]]:
    """(line number, {column: cell}) per non-empty row. Raises ImportRejected on bad CSV."""
    text = open_text(stream)
    first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    names = header_columns(header, known, aliases)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num + 1, dict(zip(names, cells, strict=False))
    except csv.Error as error:
        raise reject(_("Regel %(line)s: ongeldige CSV (%(error)s).",
                       line=reader.line_num + 1, error=error)) from None
    finally:
        text.detach()


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each CSV row as a record. Raises ImportRejected on a bad header or encoding."""
    for number, (line, cells) in enumerate(rows(stream, COLUMNS, ALIASES), start=1):
        record = RawRecord(number=number, data={}, line=line)
        record.data, record.interventions = to_study(cells)
        truncate_problem(record.data, record.problems)
        yield record


def to_study(cells: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Map one row to the study schema's load shape: (data, intervention slugs)."""
    data: dict[str, Any] = {}
    for name, value in cells.items():
        value = (value or "").strip()
        if not value or not name or name == "interventions":
            continue
        data[name] = _LIST_SPLIT.split(value) if name in LIST_COLUMNS else value
    if "authors" in data:
        data["authors"] = [a for a in map(parse_author, data["authors"]) if a]
    slugs = _LIST_SPLIT.split(cells.get("interventions") or "")
    return data, [s.strip().lower() for s in slugs if s.strip()]
