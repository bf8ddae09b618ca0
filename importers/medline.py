"""MEDLINE / .nbib text (PubMed's "MEDLINE" export, also read by reference managers).

Each record starts at "PMID- "; a tag is up to four letters padded to four, then "- ";
a line starting with spaces continues the previous tag. Read one record at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from importers.normalise import make_author, parse_author, publication_type
from importers.source import RawRecord, text_lines, truncate_problem

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each MEDLINE record. Raises ImportRejected when the text is not UTF-8."""
    for number, (start, tags) in enumerate(_records(text_lines(stream)), start=1):
        record = RawRecord(number=number, data=to_study(tags), line=start)
        truncate_problem(record.data, record.problems)
        yield record


def _records(lines: Iterator[str]) -> Iterator[tuple[int, dict[str, list[str]]]]:
    tags: dict[str, list[str]] = {}
    # A value's continuation lines, joined once at the end of its record: adding each to
    # the value anew cost time in the square of its size.
    pending: dict[tuple[str, int], list[str]] = {}
    start, last = 0, None
    for line_number, line in enumerate(lines, start=1):
        match = _TAG.match(line) if line[:1].strip() else None
        if match and match.group(1) == "PMID" and tags:
            _join_continuations(tags, pending)
            yield start, tags
            tags = {}
        if match:
            if not tags:
                start = line_number
            last = match.group(1)
            tags.setdefault(last, []).append(match.group(2).strip())
        elif line.strip() and last and tags:
            pending.setdefault((last, len(tags[last]) - 1), []).append(line.strip())
    if tags:
        _join_continuations(tags, pending)
        yield start, tags


def _join_continuations(tags: dict[str, list[str]],
                        pending: dict[tuple[str, int], list[str]]) -> None:
    for (tag, index), parts in pending.items():
        tags[tag][index] = " ".join([tags[tag][index], *parts])
    pending.clear()


def _first(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


def _tagged_id(tags: dict[str, list[str]], kind: str) -> str | None:
    for value in tags.get("LID", []) + tags.get("AID", []):
        if value.endswith(f"[{kind}]"):
            return value[: -len(kind) - 2].strip()
    return None


def _authors(tags: dict[str, list[str]]) -> list[dict]:
    full = tags.get("FAU")
    if full:
        return [a for a in map(parse_author, full) if a]
    # "AU - Berg J van der" is ambiguous; the short form is "Family Initials".
    short = (name.rsplit(" ", 1) for name in tags.get("AU", []))
    return [a for a in (make_author(p[0], p[1] if len(p) > 1 else None) for p in short) if a]


def to_study(tags: dict[str, list[str]]) -> dict[str, Any]:
    """Map MEDLINE tags to the study schema's load shape."""
    data = {
        "title": _first(tags, "TI", "BTI"),
        "authors": _authors(tags),
        "year": _first(tags, "DP", "DEP"),
        "journal": _first(tags, "JT", "TA"),
        "volume": _first(tags, "VI"),
        "issue": _first(tags, "IP"),
        "pages": _first(tags, "PG"),
        "doi": _tagged_id(tags, "doi"),
        "pmid": _first(tags, "PMID"),
        "abstract": _first(tags, "AB"),
        "language": _first(tags, "LA"),
        "keywords": tags.get("OT", []),
        "publication_type": _type(tags.get("PT", [])),
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _type(types: list[str]) -> str | None:
    if any("review" in t.lower() or "meta-analysis" in t.lower() for t in types):
        return "review"
    return publication_type(types[0]) if types else None
