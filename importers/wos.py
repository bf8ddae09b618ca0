"""Web of Science plain-text export ("FN Clarivate Analytics Web of Science", "VR 1.0").

A record is a run of two-character tags at column 0 ("PT J", "AU …", "TI …") closed by
a line "ER"; the file ends with "EF". A line indented by three spaces continues the tag
above it: for the author tags (AU, AF) it is the next author, for any other tag the same
text wrapped. Read line by line, one record in memory. Only the tags mapped in to_study
are kept; the rest (cited references CR, addresses C1, counts TC/Z9, funding, UT …) are
skipped, so a record with a thousand references costs no memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from importers.normalise import parse_author, publication_type
from importers.source import MAX_FIELD_CHARS, RawRecord, reject, text_lines, truncate_problem

LABEL = _l("Web of Science (tekst)")
EXTENSIONS = (".txt",)
_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_KEPT = {"PT", "AU", "AF", "TI", "SO", "PU", "LA", "DT", "DE", "ID", "AB", "PY", "VL", "IS",
         "BP", "EP", "AR", "DI", "PM"}  # fmt: skip
_ONE_PER_LINE = {"AU", "AF"}
MAX_RECORD_CHARS = 10 * MAX_FIELD_CHARS
# WoS's own words for a document (DT) and publication (PT) → the shared vocabulary's codes.
_DOCUMENT_TYPES = {"proceedings paper": "conf", "meeting abstract": "conf",
                   "book chapter": "chap", "article": "jour"}  # fmt: skip
_PUBLICATION_TYPES = {"J": "jour", "B": "book", "S": "book", "C": "conf", "P": "patent"}


def looks_like(head: str) -> bool:
    """Whether the start of a file is a WoS export: "FN …" first, then a VR or PT line."""
    text = head.lstrip("\ufeff \t\r\n")
    return text.startswith("FN ") and re.search(r"^(?:VR|PT) ", text, re.MULTILINE) is not None


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each record. Raises ImportRejected when the text is not UTF-8 or not WoS."""
    for number, found in enumerate(_records(text_lines(stream)), start=1):
        record = RawRecord(number=number, data=to_study(found.tags), line=found.start)
        record.problems = found.problems
        if not found.closed:
            record.problems.append(
                ("record", _("Het record eindigt niet met 'ER' (afgebroken?)."))
            )
        truncate_problem(record.data, record.problems)
        yield record


class _Found:
    """One record's kept tags as read: where it starts, and whether ER closed it."""

    def __init__(self, start: int):
        self.start, self.closed, self.size = start, False, 0
        self.tags: dict[str, list[str]] = {}
        self.problems: list[tuple[str, str]] = []
        self._noted: set[str] = set()

    def add(self, tag: str, text: str, continued: bool) -> None:
        self.size += len(text)
        if self.size > MAX_RECORD_CHARS:
            self.problem("size", _("Het record is te groot (meer dan %(max)s tekens); de rest is "
                           "overgeslagen.", max=MAX_RECORD_CHARS))
            return
        values = self.tags.setdefault(tag, [])
        if continued and values and tag not in _ONE_PER_LINE:
            values[-1] += " " + text
        else:
            values.append(text)

    def problem(self, kind: str, message: str) -> None:
        if kind not in self._noted:  # once per record, however often it happens
            self._noted.add(kind)
            self.problems.append(("record", message))


def _records(lines: Iterator[str]) -> Iterator[_Found]:
    current: _Found | None = None
    last, started = None, False
    for line_number, line in enumerate(lines, start=1):
        if not started and line.strip():
            if not line.startswith("FN "):
                raise reject(_("Dit bestand is geen Web of Science-export ('FN …' als eerste "
                               "regel verwacht)."))
            started = True
        match = _TAG.match(line)
        tag = match.group(1) if match else None
        if tag == "EF":
            break
        if tag == "ER":
            if current is not None:
                current.closed = True
                yield current
            current = last = None
        elif tag in ("FN", "VR") and current is None:
            continue
        elif tag:
            if current is not None and tag == "PT" and current.tags:
                yield current  # the previous record lost its ER
            if current is None or tag == "PT":
                current = _Found(line_number)
            last = tag
            if tag in _KEPT and match.group(2):
                current.add(tag, match.group(2).strip(), continued=False)
        elif line.startswith("   ") and line.strip() and current is not None and last:
            if last in _KEPT:
                current.add(last, line.strip(), continued=True)
        elif line.strip() and current is not None:
            current.problem("stray", _("Regel %(line)s hoort bij geen veld en is overgeslagen.",
                              line=line_number))
    if current is not None:
        yield current


def _first(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


def _pages(tags: dict[str, list[str]]) -> str | None:
    start, end = _first(tags, "BP"), _first(tags, "EP")
    return f"{start}-{end}" if start and end else start or _first(tags, "AR")


def _keywords(tags: dict[str, list[str]]) -> list[str]:
    joined = "; ".join(tags.get("DE", []) + tags.get("ID", []))
    return [k.strip() for k in joined.split(";") if k.strip()]


def _type(tags: dict[str, list[str]]) -> str | None:
    kinds = [k.strip().lower() for k in (_first(tags, "DT") or "").split(";") if k.strip()]
    if any("review" in kind for kind in kinds):
        return "review"
    if kinds:
        return publication_type(_DOCUMENT_TYPES.get(kinds[0], kinds[0]))
    return publication_type(_PUBLICATION_TYPES.get(_first(tags, "PT") or ""))


def to_study(tags: dict[str, list[str]]) -> dict[str, Any]:
    """Map WoS tags to the study schema's load shape (full names AF before short AU)."""
    names = tags.get("AF") or tags.get("AU") or []
    data = {
        "title": _first(tags, "TI"),
        "authors": [a for a in map(parse_author, names) if a],
        "year": _first(tags, "PY"),
        "journal": _first(tags, "SO"),
        "publisher": _first(tags, "PU"),
        "volume": _first(tags, "VL"),
        "issue": _first(tags, "IS"),
        "pages": _pages(tags),
        "doi": _first(tags, "DI"),
        "pmid": _first(tags, "PM"),
        "abstract": _first(tags, "AB"),
        "language": _first(tags, "LA"),
        "keywords": _keywords(tags),
        "publication_type": _type(tags),
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}
