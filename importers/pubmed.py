"""PubMed XML (PubmedArticleSet, as efetch and the PubMed site export it).

Streams with iterparse and clears each article after reading it, so memory holds one
article. defusedxml refuses entity declarations (no "billion laughs", no external
entities); PubMed's own DOCTYPE line is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from flask_babel import gettext as _

from importers.normalise import make_author, publication_type
from importers.source import RawRecord, reject, truncate_problem
from importers.xml_stream import rejecting_bad_xml

ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")


def parse(stream: BinaryIO) -> Iterator[RawRecord]:
    """Yield each article. Raises ImportRejected on XML that is truncated or not PubMed."""
    yield from rejecting_bad_xml(_articles(stream))


def _articles(stream: BinaryIO) -> Iterator[RawRecord]:
    number = 0
    root: Element | None = None
    for event, element in iterparse(stream, events=("start", "end")):
        if event == "start":
            if root is None and _check_root(element):
                root = element
            continue
        if element.tag in ARTICLE_TAGS:
            number += 1
            yield _record(number, element)
            element.clear()
            if root is not None:
                root.clear()  # else every (empty) article stays in the root's list


def _check_root(element: Element) -> bool:
    if element.tag not in ("PubmedArticleSet", "PubmedBookArticleSet"):
        raise reject(_("Dit XML-bestand is geen PubMed-export (PubmedArticleSet verwacht)."))
    return True


def _record(number: int, article: Element) -> RawRecord:
    record = RawRecord(number=number, data=to_study(article))
    truncate_problem(record.data, record.problems)
    return record


def _text(element: Element | None) -> str | None:
    # itertext keeps the words inside <i>, <sup> and the like that PubMed titles carry.
    return "".join(element.itertext()) if element is not None else None


def _year(article: Element) -> str | None:
    date = article.find(".//Journal/JournalIssue/PubDate")
    if date is None:
        date = article.find(".//PubDate")
    if date is None:
        return None
    return date.findtext("Year") or date.findtext("MedlineDate")


def _doi(article: Element) -> str | None:
    # The article's own identifiers only: a reference list holds ArticleIdLists too, with
    # the DOIs of the papers it cites.
    for path in (".//ELocationID[@EIdType='doi']",
                 "./PubmedData/ArticleIdList/ArticleId[@IdType='doi']",
                 "./PubmedBookData/ArticleIdList/ArticleId[@IdType='doi']"):
        value = article.findtext(path)
        if value:
            return value
    return None


def _author(element: Element) -> dict | None:
    collective = element.findtext("CollectiveName")
    if collective:
        return make_author(collective, None)
    given = element.findtext("ForeName") or element.findtext("Initials")
    return make_author(element.findtext("LastName") or "", given)


def _authors(article: Element) -> Iterator[Element]:
    # A book names its editors in an AuthorList too (Type="editors"); they are no authors.
    for author_list in article.iterfind(".//AuthorList"):
        if author_list.get("Type") in (None, "authors"):
            yield from author_list.iterfind("Author")


def _abstract(article: Element) -> str | None:
    parts = []
    for part in article.iterfind(".//Abstract/AbstractText"):
        label = part.get("Label")
        text = _text(part) or ""
        parts.append(f"{label}: {text}" if label else text)
    return "\n\n".join(parts) or None


def to_study(article: Element) -> dict[str, Any]:
    """Map one PubmedArticle to the study schema's load shape."""
    # A BookDocument has its PublicationType without a PublicationTypeList around it.
    types = [t.text or "" for t in article.iterfind(".//PublicationType")]
    data = {
        "title": _text(article.find(".//ArticleTitle")) or _text(article.find(".//BookTitle")),
        "authors": [a for a in map(_author, _authors(article)) if a],
        "year": _year(article),
        "journal": article.findtext(".//Journal/Title"),
        "volume": article.findtext(".//JournalIssue/Volume"),
        "issue": article.findtext(".//JournalIssue/Issue"),
        "pages": article.findtext(".//Pagination/MedlinePgn"),
        "doi": _doi(article),
        "pmid": article.findtext(".//PMID"),
        "abstract": _abstract(article),
        "language": article.findtext(".//Language"),
        "keywords": [_text(k) or "" for k in article.iterfind(".//KeywordList/Keyword")],
        "publication_type": _publication_type(types),
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _publication_type(types: list[str]) -> str | None:
    lowered = [t.lower() for t in types]
    for wanted in ("systematic review", "meta-analysis", "review"):
        if wanted in lowered:
            return "review"
    return publication_type(types[0]) if types else None
