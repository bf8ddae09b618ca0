"""CSV and TSV: the project's template (README, Import) and the exports of bibliographic
databases and reference managers, their columns mapped by importers/columns.py.

The delimiter is the one of comma, semicolon and tab the header line uses most; the
encoding UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 (what Excel on
Dutch Windows saves): detected, not asked. Lists in a cell (authors, keywords,
interventions) are separated by "|", ";" or line breaks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext as _

from importers.source import RawRecord, detect_encoding, encoding_note, reject
from importers.tabular import TableOptions, records

COLUMNS = (
    "title", "authors", "year", "journal", "publisher", "volume", "issue", "pages", "doi",
    "pmid", "url", "abstract", "language", "country", "keywords", "publication_type",
    "design", "n_intervention", "n_comparison", "setting", "follow_up_months", "interventions",
)  # fmt: skip
DELIMITERS = (",", ";", "\t")
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
    return template_text(COLUMNS, example)


def template_text(columns: tuple[str, ...], example: dict[str, str]) -> str:
    """A CSV template: the header and one example row (empty cells where it has none)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(example)
    return buffer.getvalue()


def open_text(stream: BinaryIO, notes: list[str] | None = None) -> io.TextIOWrapper:
    """The stream as text in its detected encoding (a note says which, when it is not
    UTF-8). Raises ImportRejected if undecodable."""
    encoding = detect_encoding(stream)
    note = encoding_note(encoding)
    if notes is not None and note:
        notes.append(note)
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


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
    try:
        header, lines = _table(text)
        names = header_columns(header, known, aliases)
        for line, cells in lines:
            yield line, dict(zip(names, cells, strict=False))
    finally:
        text.detach()


def delimiter_of(first_line: str) -> str | None:
    """The delimiter the header line uses most, of comma, semicolon and tab; None when it
    uses none (a one-column file)."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else None


def _table(text: io.TextIOWrapper) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    first = text.readline()
    delimiter = delimiter_of(first) or ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return header, _lines(csv.reader(text, delimiter=delimiter))


def _lines(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num + 1, cells
    except csv.Error as error:
        raise reject(_("Regel %(line)s: ongeldige CSV (%(error)s).",
                       line=reader.line_num + 1, error=error)) from None


def parse(stream: BinaryIO, options: TableOptions | None = None) -> Iterator[RawRecord]:
    """Yield each row as a record. Raises ImportRejected on a bad header or encoding."""
    options = options or TableOptions()
    text = open_text(stream, options.notes)
    try:
        header, lines = _table(text)
        yield from records(header, lines, options)
    finally:
        text.detach()
