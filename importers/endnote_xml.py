"""EndNote XML export (File › Export › XML: <xml><records><record>…</record></records></xml>).

Streams with defusedxml's iterparse as pubmed.py does: entity declarations and external
entities are refused, each record is dropped from the tree once read, and nesting deeper
than MAX_DEPTH rejects the file, so memory holds one record. Text may be split over
<style> elements; their words are joined. Read: ref-type, contributors/authors (not
editors), titles, periodical, pages, volume, number, keywords, dates/year, abstract,
electronic-resource-num (DOI), accession-num (a PMID when it is all digits), urls,
publisher and language. Ignored: database, source-app, foreign-keys, notes, custom and
research-notes fields, ISBN/ISSN. Keywords "interventie:<slug>" link the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from flask_babel import gettext as _

from importers.normalise import parse_author, publication_type, split_link_keywords
from importers.source import RawRecord, reject, truncate_problem
from importers.xml_stream import rejecting_bad_xml

LABEL = "EndNote XML"
EXTENSIONS = (".xml",)
MAX_DEPTH = 20  # a record is at most eight levels deep (record/urls/related-urls/url/style)
_RECORD_DEPTH = 3  # xml/records/record
_ROOT = re.compile(
    r"(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*<xml\b[^>]*>\s*<records\b", re.DOTALL
)
# EndNote's reference type names → the shared vocabulary's codes (others map by name).
_REF_TYPES = {
    "electronic article": "ejour", "magazine article": "mgzn", "book section": "chap",
    "electronic book section": "echap", "edited book": "edbook", "electronic book": "ebook",
    "conference proceedings": "conf", "conference paper": "conf",
    "government document": "govdoc", "web page": "elec",
}  # fmt: skip


def looks_like(head: str) -> bool:
    """Whether the start of a file is EndNote XML: an <xml> root whose first child is <records>."""
    return _ROOT.match(head.lstrip("\ufeff \t\r\n")) is not None


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each record. Raises ImportRejected on XML that is invalid, too deep or not EndNote."""
    yield from rejecting_bad_xml(_records(stream))


def _records(stream: BinaryIO) -> Iterator[RawRecord]:
    open_elements: list[Element] = []
    number = 0
    for event, element in iterparse(stream, events=("start", "end")):
        if event == "start":
            if not open_elements and element.tag != "xml":
                raise reject(_("Dit XML-bestand is geen EndNote-export (<xml><records> verwacht)."))
            open_elements.append(element)
            if len(open_elements) > MAX_DEPTH:
                raise reject(_(
                    "Het XML-bestand is te diep genest (meer dan %(max)s niveaus). "
                    "Er is niets opgeslagen.", max=MAX_DEPTH,
                ))
            continue
        depth = len(open_elements)
        open_elements.pop()
        if depth == _RECORD_DEPTH and element.tag == "record":
            number += 1
            yield _record(number, element)
        if depth in (2, _RECORD_DEPTH):  # read or unknown: drop it, so the tree stays small
            open_elements[-1].remove(element)


def _record(number: int, element: Element) -> RawRecord:
    data, slugs = to_study(element)
    record = RawRecord(number=number, data=data, interventions=slugs)
    truncate_problem(record.data, record.problems)
    return record


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None


def _first(record: Element, *paths: str) -> str | None:
    for path in paths:
        for element in record.iterfind(path):
            text = _text(element)
            if text:
                return text
    return None


def _all(record: Element, path: str) -> list[str]:
    return [t for t in map(_text, record.iterfind(path)) if t]


def _pmid(record: Element) -> str | None:
    accession = _first(record, "accession-num")
    return accession if accession and accession.isdigit() else None


def _type(record: Element) -> str | None:
    ref_type = record.find("ref-type")
    name = (ref_type.get("name") or "").strip().lower() if ref_type is not None else ""
    return publication_type(_REF_TYPES.get(name, name))


def to_study(record: Element) -> tuple[dict[str, Any], list[str]]:
    """Map one EndNote <record> to the study schema's load shape: (data, intervention slugs)."""
    keywords, slugs = split_link_keywords(_all(record, "keywords/keyword"))
    data = {
        "title": _first(record, "titles/title"),
        "authors": [a for a in map(parse_author, _all(record, "contributors/authors/author"))
                    if a],
        "year": _first(record, "dates/year"),
        "journal": _first(record, "periodical/full-title", "titles/secondary-title"),
        "publisher": _first(record, "publisher"),
        "volume": _first(record, "volume"),
        "issue": _first(record, "number"),
        "pages": _first(record, "pages"),
        "doi": _first(record, "electronic-resource-num"),
        "pmid": _pmid(record),
        "url": _first(record, "urls/related-urls/url", "urls/web-urls/url", "urls//url"),
        "abstract": _first(record, "abstract"),
        "language": _first(record, "language"),
        "keywords": keywords,
        "publication_type": _type(record),
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}, slugs
