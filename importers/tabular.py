"""Rows of a table (CSV, TSV, Excel) to study records: header mapping, cells, authors.

The readers (csv_format, xlsx_format) turn a file into a header and rows of cells; this
module maps the header through the column table (importers/columns.py), refuses a
header that is not one, and turns each row into a RawRecord.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from importers.columns import Columns, column_key, map_columns
from importers.normalise import make_author, parse_author, publication_type
from importers.source import RawRecord, reject, truncate_problem

LIST_COLUMNS = ("authors", "keywords", "interventions")
_LIST_SPLIT = re.compile(r"\s*[|;\n]\s*")
# "Liu R." / "Adler D.G." / "Liu R" / "van der Berg JH": a family name and initials, the
# author form of Scopus, Embase and PubMed CSV ("Liu R., Adler D.G.").
_SURNAME_INITIALS = re.compile(r"^(?P<family>[^\W\d][\w'’ -]*?)\s+(?P<given>(?:[A-Z]\.?-?){1,4})$")


@dataclass
class TableOptions:
    """What the researcher chose (mapping: header cell → field; sheet: an Excel sheet's
    name) and what the reader noticed (ignored columns, notes such as the encoding)."""

    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def header_columns(header: list[str], options: TableOptions) -> Columns:
    """The header's fields. Raises ImportRejected for a duplicate column name, a header
    with no known column (a missing header row) or no title column."""
    seen: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        key = column_key(cell)
        if key and key in seen:
            raise reject(_("De kolom '%(name)s' komt twee keer voor in de kopregel "
                           "(kolom %(first)s en %(second)s).", name=cell.strip(),
                           first=seen[key], second=position), "kop")
        seen[key] = position
    try:
        columns = map_columns(header, options.mapping)
    except ValueError as error:
        raise reject(_("Onbekend veld '%(field)s' in de kolomtoewijzing.", field=str(error)),
                     "kolommen") from None
    if not any(columns.names):
        raise reject(_("Geen kopregel herkend: de eerste regel moet de kolomnamen bevatten "
                       "(bijvoorbeeld title, authors, year)."), "kop")
    if "title" not in columns.names:
        raise reject(_("Geen kolom met de titel gevonden. Wijs een kolom toe aan 'title' "
                       "of gebruik de kolommen van het sjabloon."), "kop")
    options.ignored = columns.ignored
    return columns


def records(
    header: list[str], rows: Iterable[tuple[int, list[Any]]], options: TableOptions
) -> Iterator[RawRecord]:
    """One record per non-empty row ((line or row number, cells)) under this header."""
    columns = header_columns(header, options)
    number = 0
    for line, cells in rows:
        values = {
            name: _text(cell)
            for name, cell in zip(columns.names, cells, strict=False)
            if name is not None
        }
        if not any(values.values()):
            continue
        number += 1
        record = RawRecord(number=number, data={}, line=line)
        record.data, record.interventions = to_study(values)
        truncate_problem(record.data, record.problems)
        extra = [cell for cell in cells[len(columns.names):] if _text(cell)]
        if extra:  # zip would drop them: say so instead of importing half a row
            record.problems.append(("record", _(
                "Deze regel heeft %(cells)s gevulde cellen, de kopregel %(columns)s kolommen. "
                "Staat er een scheidingsteken in een tekst zonder aanhalingstekens?",
                cells=len(columns.names) + len(extra), columns=len(columns.names))))
        yield record


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # Excel keeps 2019 as 2019.0
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]  # a date cell: its date
    return str(cell).strip()


def to_study(cells: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Map one row to the study schema's load shape: (data, intervention slugs)."""
    data: dict[str, Any] = {}
    for name, value in cells.items():
        if not value or name in ("interventions", "start_page", "end_page"):
            continue
        if name == "authors":
            data[name] = [a for a in map(_author, split_authors(value)) if a]
        elif name in LIST_COLUMNS:
            data[name] = [v for v in _LIST_SPLIT.split(value) if v]
        elif name == "publication_type":
            # "Article" (Scopus), "Journal Article" (EndNote): the shared types, as RIS.
            data[name] = publication_type(value)
        else:
            data[name] = value
    pages = _pages(cells.get("start_page"), cells.get("end_page"))
    if pages and "pages" not in data:
        data["pages"] = pages
    slugs = _LIST_SPLIT.split(cells.get("interventions") or "")
    return data, [s.strip().lower() for s in slugs if s.strip()]


def _pages(start: str | None, end: str | None) -> str | None:
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end or None


def split_authors(cell: str) -> list[str]:
    """The authors in one cell: separated by lines, "|", ";" or " // ", or in the
    "Liu R., Adler D.G." form; otherwise one author ("Berg, J. van der")."""
    for separator in ("\n", "|", ";", " // "):
        if separator in cell:
            return [part.strip() for part in cell.split(separator) if part.strip()]
    parts = [part.strip() for part in cell.split(",")]
    if len(parts) > 1 and all(_SURNAME_INITIALS.match(part) for part in parts if part):
        return [part for part in parts if part]
    return [cell.strip()]


def _author(name: str) -> dict | None:
    match = _SURNAME_INITIALS.match(name) if "," not in name else None
    if match:
        return make_author(match["family"], match["given"])
    return parse_author(name)
