"""CSL-JSON (Zotero, Mendeley, Crossref, citation.js): a list of items, or one item.

ijson streams the list one item at a time, with the nesting bound of importers/json_stream.py
applied before ijson builds prefixes, so a deeply nested file is refused cheaply. Read:
type, title, author (family, given, particles, literal), issued, container-title,
publisher, volume, issue, page, DOI, PMID, URL, abstract, keyword and language. Ignored:
id, citation-key, editor, accessed, ISSN, note and every other variable.
Keywords "interventie:<slug>" link the record to an intervention (README, Import).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

import ijson
from flask_babel import gettext as _

from importers.json_stream import TooDeep, depth_limited, items, rejecting_bad_json
from importers.normalise import make_author, publication_type, split_link_keywords
from importers.source import RawRecord, reject, truncate_problem

LABEL = "CSL-JSON"
EXTENSIONS = (".json",)
# CSL item types (and Crossref's own names for some) → the shared vocabulary's codes;
# "report", "book", "thesis" map by name, other types to "other".
_TYPES = {
    "article-journal": "jour", "article-magazine": "mgzn", "chapter": "chap",
    "paper-conference": "conf", "webpage": "elec", "post-weblog": "elec",
    "review": "review", "review-book": "review", "journal-article": "jour",
    "book-chapter": "chap", "proceedings-article": "conf",
}  # fmt: skip
_CSL_TYPES = {*_TYPES, "article", "article-newspaper", "book", "dataset", "document",
              "manuscript", "report", "thesis"}  # fmt: skip
_TEXT_FIELDS = {"title": "title", "journal": "container-title", "publisher": "publisher",
                "volume": "volume", "issue": "issue", "pages": "page", "doi": "DOI",
                "pmid": "PMID", "url": "URL", "abstract": "abstract"}  # fmt: skip
_LANGUAGE_TAG = re.compile(r"([a-z]{2})-[a-z]{2}")


def looks_like(head: str) -> bool:
    """Whether the start of a file is CSL-JSON: its first item has CSL's own keys
    ("issued", "container-title", or "type" with "title") or a CSL type ("article-journal").

    The registry's JSON (json_format) has "year" and "authors", never "type", "issued"
    or "container-title".
    """
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith(("[", "{")):
        return False
    keys, kind = _first_item(text.encode("utf-8", errors="replace"), 2 if text[0] == "[" else 1)
    return (bool(keys & {"issued", "container-title"}) or {"type", "title"} <= keys
            or kind in _CSL_TYPES)


def _first_item(head: bytes, item_depth: int) -> tuple[set[str], Any]:
    """The keys of the first item (as far as the head goes) and its "type" value."""
    keys: set[str] = set()
    kind, key, depth = None, None, 0
    try:
        for event, value in depth_limited(ijson.basic_parse(io.BytesIO(head))):
            if event == "map_key" and depth == item_depth:
                keys.add(value)
                key = value
            elif event == "string" and depth == item_depth and key == "type":
                kind = value
            elif event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth < item_depth and keys:
                    break  # the end of the first item
    except (ijson.JSONError, ValueError, TooDeep):
        pass  # the head may end mid-item: judge by what was read so far
    return keys, kind


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each item. Raises ImportRejected on JSON that is invalid, truncated or too deep."""
    yield from rejecting_bad_json(_records(stream))


def _records(stream: BinaryIO) -> Iterator[RawRecord]:
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    stream.seek(0)
    if head not in (b"[", b"{"):
        raise reject(_("Dit bestand is geen CSL-JSON (een lijst van items verwacht)."))
    prefix = "item" if head == b"[" else ""
    for number, item in enumerate(items(stream, prefix), start=1):
        yield _record(number, item)


def _record(number: int, item: Any) -> RawRecord:
    record = RawRecord(number, {})
    if not isinstance(item, dict):
        record.problems.append(("record", _("Een CSL-item moet een JSON-object zijn.")))
        return record
    record.data, record.interventions = to_study(item, record.problems)
    truncate_problem(record.data, record.problems)
    return record


def _plain(value: Any) -> str | None:
    """Text from a string or a number (ijson reads 1.5 as Decimal); a list gives its first."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _text(item: dict, key: str, problems: list) -> str | None:
    value = item.get(key)
    text = _plain(value)
    if text is None and value not in (None, "", []):
        problems.append((key, _("Geen geldige tekst.")))
    return text


def _authors(item: dict, problems: list) -> list[dict]:
    people = item.get("author") or []
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        problems.append(("authors", _("Moet een lijst van auteurs (JSON-objecten) zijn.")))
        return []
    authors = []
    for person in people:
        # An organisation comes as "literal" (CSL) or "name" (Crossref); a person known
        # by one name only as "given" alone: that name is the family name then.
        literal = _plain(person.get("literal")) or _plain(person.get("name"))
        parts = [_plain(person.get(k)) for k in
                 ("dropping-particle", "non-dropping-particle", "family")]
        family = literal or " ".join(p for p in parts if p)
        given = None if literal else _plain(person.get("given"))
        if not family and given:
            family, given = given, None
        author = make_author(family, given)
        if author:
            authors.append(author)
        elif any(_plain(value) for value in person.values()):
            problems.append(("authors", _("Een auteur zonder naam die te lezen is: %(author)s",
                                          author=str(person)[:80])))
    return authors


def _year(item: dict) -> str | None:
    issued = item.get("issued")
    if not isinstance(issued, dict):
        return _plain(issued)
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return _plain(parts[0][0])
    return _plain(issued.get("raw")) or _plain(issued.get("literal"))


def _keywords(item: dict) -> list[str]:
    value = item.get("keyword")
    if isinstance(value, list):
        return [t for t in map(_plain, value) if t]
    text = _plain(value) or ""
    separator = ";" if ";" in text else ","
    return [k.strip() for k in text.split(separator) if k.strip()]


def _language(item: dict) -> str | None:
    language = _plain(item.get("language"))
    match = _LANGUAGE_TAG.fullmatch(language.lower()) if language else None
    return match.group(1) if match else language  # "nl-NL" → "nl"


def to_study(item: dict, problems: list) -> tuple[dict[str, Any], list[str]]:
    """Map one CSL item to the study schema's load shape: (data, intervention slugs).

    A variable of the wrong JSON type is a problem of the record, added to problems.
    """
    keywords, slugs = split_link_keywords(_keywords(item))
    kind = _plain(item.get("type"))
    data = {field: _text(item, key, problems) for field, key in _TEXT_FIELDS.items()}
    data.update({
        "authors": _authors(item, problems),
        "year": _year(item),
        "language": _language(item),
        "keywords": keywords,
        "publication_type": publication_type(_TYPES.get(kind, kind) if kind else None),
    })
    return {k: v for k, v in data.items() if v not in (None, "", [])}, slugs
