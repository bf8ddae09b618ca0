"""RIS (reference managers, Web of Science, Scopus, PsycINFO): one record per TY … ER.

rispy reads the tags of one record at a time, so memory holds one record, never the file.
Keywords "interventie:<slug>" link the record to an intervention (README, Import).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import rispy
from flask_babel import gettext as _

from importers.normalise import parse_author, publication_type, split_link_keywords
from importers.source import MAX_FIELD_CHARS, RawRecord, text_lines, truncate_problem

_PARSER = rispy.RisParser(skip_unknown_tags=True, enforce_list_tags=False)
# rispy joins each continuation line (one without a tag) to its field anew, so many of
# them cost time in the square of the field's size: a record keeps at most this many,
# of at most this many characters together (far beyond a real record: an abstract of
# 10,000 characters wrapped is some 150 lines). A long tagged line costs only its length.
MAX_CONTINUATION_CHARS = 10 * MAX_FIELD_CHARS
MAX_CONTINUATION_LINES = 1_000
_LIST_TAGS = ("authors", "first_authors", "keywords", "urls", "notes")
_PUBMED = re.compile(r"pubmed|medline|nlm", re.IGNORECASE)
# "PMID: 29371234; PMCID: PMC5812345", "PMID 29371234", "PMID:29371234"
_PMID_NOTE = re.compile(r"PMID\s*:?\s*(\d{1,8})\b", re.IGNORECASE)


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each RIS record. Raises ImportRejected when the text is not UTF-8."""
    for number, lines in enumerate(_record_lines(text_lines(stream)), 1):
        yield _record(number, lines)


class _Lines:
    """One record's lines as found: where it starts, and whether TY and ER were there."""

    def __init__(self, start: int, first: str):
        self.start, self.lines = start, [first]
        self.typed, self.closed = first.startswith("TY"), False
        self.continued_chars, self.continued, self.oversized = 0, 0, False

    def add(self, line: str, continued: bool) -> None:
        if continued:
            self.continued += 1
            self.continued_chars += len(line)
            if (self.continued > MAX_CONTINUATION_LINES
                    or self.continued_chars > MAX_CONTINUATION_CHARS):
                self.oversized = True
                return
        self.lines.append(line)


def _record_lines(lines: Iterator[str]) -> Iterator[_Lines]:
    # A record missing its TY line starts at its first tag, so it is reported, not lost.
    current: _Lines | None = None
    for line_number, line in enumerate(lines, start=1):
        tag = line[:2].upper() if line[2:5] == "  -" else None
        if tag:  # some exports write the tags in lower case; rispy knows upper case only
            line = tag + line[2:]
        if tag == "TY" or (tag not in (None, "ER") and current is None):
            if current:
                yield current
            current = _Lines(line_number, line)
        elif tag == "ER" and current is not None:
            current.closed = True
            yield current
            current = None
        elif current is not None:
            current.add(line, continued=tag is None)
    if current:
        yield current


def _record(number: int, found: _Lines) -> RawRecord:
    record = RawRecord(number=number, data={}, line=found.start)
    lines = found.lines if found.typed else ["TY  - GEN", *found.lines]
    try:
        tags = _PARSER.parse_lines(iter([*lines, "ER  - "]))[0]
    except Exception:  # rispy has no error type of its own for a malformed record
        record.problems.append(("record", _("Dit RIS-record kon niet worden gelezen.")))
        return record
    record.data, record.interventions = to_study(tags)
    if not found.typed:
        record.problems.append(
            ("record", _("Het record begint niet met een 'TY  -'-regel (soort publicatie)."))
        )
    if found.oversized:
        record.problems.append(("record", _(
            "Het record heeft te veel vervolgregels (meer dan %(lines)s of %(chars)s tekens); "
            "de rest is overgeslagen.", lines=MAX_CONTINUATION_LINES,
            chars=MAX_CONTINUATION_CHARS)))
    if not found.closed:
        record.problems.append(
            ("record", _("Het record eindigt niet met 'ER  -' (afgebroken?)."))
        )
    truncate_problem(record.data, record.problems)
    return record


def _first(tags: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = tags.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            return str(value)
    return None


def _list(tags: dict[str, Any], name: str) -> list[str]:
    value = tags.get(name) or []
    return [str(v) for v in (value if isinstance(value, list) else [value]) if v]


def _pages(tags: dict[str, Any]) -> str | None:
    start, end = _first(tags, "start_page"), _first(tags, "end_page")
    return f"{start}-{end}" if start and end else start


def to_study(tags: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Map rispy's tag names to the study schema's load shape: (data, intervention slugs)."""
    names = _list(tags, "authors") or _list(tags, "first_authors")
    keywords, slugs = split_link_keywords(_list(tags, "keywords"))
    data = {
        "title": _first(tags, "title", "primary_title", "short_title"),
        "authors": [a for a in map(parse_author, names) if a],
        "year": _first(tags, "year", "publication_year", "date"),
        "journal": _first(tags, "secondary_title", "journal_name", "alternate_title3",
                          "alternate_title1", "alternate_title2"),
        "publisher": _first(tags, "publisher"),
        "volume": _first(tags, "volume"),
        "issue": _first(tags, "number"),
        "pages": _pages(tags),
        "doi": _first(tags, "doi"),
        "url": _first(tags, "urls"),
        "abstract": _first(tags, "abstract", "notes_abstract"),
        "language": _first(tags, "language"),
        "keywords": keywords,
        "publication_type": publication_type(_first(tags, "type_of_reference")),
    }
    pmid = _pmid_from(tags)
    if pmid:
        data["pmid"] = pmid
    return {k: v for k, v in data.items() if v not in (None, "")}, slugs


def _pmid_from(tags: dict[str, Any]) -> str | None:
    """PubMed's own RIS puts the PMID in AN; other exports in C2 or a "PMID: …" note.
    Another database's AN (EBSCO's CINAHL, Ovid's Embase, PsycINFO) is that database's
    accession number, not a PMID: AN counts only when DB or DP names PubMed or MEDLINE."""
    accession = (_first(tags, "accession_number") or "").strip()
    source = " ".join(_list(tags, "name_of_database") + _list(tags, "database_provider"))
    if accession.isdigit() and _PUBMED.search(source):
        return accession
    for note in _list(tags, "notes") + _list(tags, "custom2"):
        found = _PMID_NOTE.match(note.strip())
        if found:
            return found.group(1)
    return None
