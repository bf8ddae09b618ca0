"""BibTeX: one entry at a time through bibtexparser 2 (LaTeX decoded, names split).

The file is cut into blocks at lines that start with "@"; @string definitions are kept
and put in front of every later entry so references to them resolve. Only one entry is
in memory at a time. Keywords "interventie:<slug>" link the record (README, Import).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, BinaryIO

import bibtexparser
from bibtexparser import middlewares
from flask_babel import gettext as _

from importers.normalise import make_author, publication_type, split_link_keywords
from importers.source import RawRecord, text_lines, truncate_problem

# bibtexparser logs every block it cannot parse; we report those per record instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
_MAX_STRINGS_CHARS = 1_000_000


def _parse_stack() -> list:
    return [
        *middlewares.default_parse_stack(allow_inplace_modification=True),
        middlewares.LatexDecodingMiddleware(allow_inplace_modification=True),
        middlewares.SeparateCoAuthors(allow_inplace_modification=True),
        middlewares.SplitNameParts(allow_inplace_modification=True),
    ]


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each BibTeX entry. Raises ImportRejected when the text is not UTF-8."""
    strings = ""
    number = 0
    for start, block in _blocks(text_lines(stream)):
        kind = block.lstrip()[1:8].lower()
        if kind.startswith("string"):
            if len(strings) + len(block) < _MAX_STRINGS_CHARS:
                strings += block + "\n"
            continue
        if kind.startswith(("comment", "preambl")):
            continue
        number += 1
        yield _record(number, start, strings, block)


def _blocks(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    current: list[str] = []
    start = 0
    for line_number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("@"):
            if current:
                yield start, "\n".join(current)
            current, start = [line], line_number
        elif current:
            current.append(line)
    if current:
        yield start, "\n".join(current)


def _record(number: int, start: int, strings: str, block: str) -> RawRecord:
    record = RawRecord(number=number, data={}, line=start)
    try:
        library = bibtexparser.parse_string(strings + block, parse_stack=_parse_stack())
    except Exception:  # a LaTeX or name oddity in one entry must not stop the file
        library = None
    if library is None or not library.entries:
        record.problems.append(("record", _("Dit BibTeX-record kon niet worden gelezen.")))
        return record
    entry = library.entries[0]
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    record.data, record.interventions = to_study(entry.entry_type, fields)
    truncate_problem(record.data, record.problems)
    return record


def _author(name: Any) -> dict | None:
    if isinstance(name, str):
        return make_author(name, None)
    family = " ".join([*name.von, *name.last])
    given = " ".join(name.first + name.jr) or None
    return make_author(family, given)


def _text(fields: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def to_study(entry_type: str, fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Map BibTeX fields to the study schema's load shape: (data, intervention slugs)."""
    authors = fields.get("author") or []
    if isinstance(authors, str):
        authors = [authors]
    raw_keywords = _text(fields, "keywords") or ""
    separator = ";" if ";" in raw_keywords else ","
    keywords, slugs = split_link_keywords(
        [k.strip() for k in raw_keywords.split(separator) if k.strip()]
    )
    data = {
        "title": _text(fields, "title"),
        "authors": [a for a in map(_author, authors) if a],
        "year": _text(fields, "year", "date"),
        "journal": _text(fields, "journal", "journaltitle", "booktitle"),
        "publisher": _text(fields, "publisher", "institution", "school", "organization"),
        "volume": _text(fields, "volume"),
        "issue": _text(fields, "number", "issue"),
        "pages": (_text(fields, "pages") or "").replace("--", "-") or None,
        "doi": _text(fields, "doi"),
        "pmid": _text(fields, "pmid"),
        "url": _text(fields, "url"),
        "abstract": _text(fields, "abstract"),
        "language": _text(fields, "language", "langid"),
        "keywords": keywords,
        "publication_type": publication_type(entry_type),
    }
    return {k: v for k, v in data.items() if v not in (None, "")}, slugs
