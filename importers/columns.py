"""Which study field a column of a tabular export holds: the column table, version 1.

Header cells are matched case-, space- and punctuation-insensitively ("Publication Year",
"publication_year" and "PUBLICATION-YEAR" are one name). The table covers the project's
own template (README, Import) and its Dutch names, and the columns of the exports
researchers bring: Embase CSV, Scopus CSV, Web of Science tab-delimited (two-letter
tags), PubMed CSV, Zotero CSV, EndNote tab-delimited, Covidence, Rayyan and ASReview
exports, and reference-manager field names (rispy's: first_authors, start_page, ...).
A column the table does not know is listed in the preview and ignored, unless the
researcher assigns it a field (`mapping`). A change to the table raises VERSION.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

VERSION = 1

# The fields a column can hold: the study fields, and the two halves of a page range.
FIELDS = (
    "title", "authors", "year", "journal", "publisher", "volume", "issue", "pages",
    "start_page", "end_page", "doi", "pmid", "url", "abstract", "language", "country",
    "keywords", "publication_type", "design", "n_intervention", "n_comparison", "setting",
    "follow_up_months", "interventions",
)  # fmt: skip

_OWN = {name: name for name in FIELDS}
_DUTCH = {
    "titel": "title", "auteurs": "authors", "jaar": "year", "tijdschrift": "journal",
    "uitgever": "publisher", "jaargang": "volume", "nummer": "issue", "paginas": "pages",
    "samenvatting": "abstract", "taal": "language", "land": "country",
    "trefwoorden": "keywords", "publicatietype": "publication_type", "opzet": "design",
    "interventies": "interventions",
}  # fmt: skip
_EMBASE = {
    "author names": "authors", "source title": "journal", "publication year": "year",
    "first page": "start_page", "last page": "end_page", "language of article": "language",
    "author keywords": "keywords", "medline pmid": "pmid", "full text link": "url",
    "publication type": "publication_type",
}  # fmt: skip
_SCOPUS = {
    "page start": "start_page", "page end": "end_page", "link": "url",
    "language of original document": "language", "document type": "publication_type",
    "pubmed id": "pmid",
}  # fmt: skip
_WEB_OF_SCIENCE = {  # tab-delimited export: field tags as headers
    "au": "authors", "ti": "title", "so": "journal", "la": "language",
    "dt": "publication_type", "de": "keywords", "ab": "abstract", "py": "year",
    "vl": "volume", "is": "issue", "bp": "start_page", "ep": "end_page", "di": "doi",
    "pm": "pmid", "pu": "publisher",
}  # fmt: skip
_PUBMED = {"journal book": "journal"}
_ZOTERO = {
    "item type": "publication_type", "author": "authors", "publication title": "journal",
    "abstract note": "abstract", "manual tags": "keywords",
}  # fmt: skip
_ENDNOTE = {"reference type": "publication_type", "secondary title": "journal", "number": "issue"}
_COVIDENCE = {"published year": "year"}
_RAYYAN = {"pubmed id": "pmid", "pmid": "pmid"}
_REFERENCE_MANAGERS = {  # rispy's names for RIS tags
    "first authors": "authors", "publication year": "year",
    "type of reference": "publication_type", "primary title": "title",
    "secondary title": "journal", "journal name": "journal", "start page": "start_page",
    "end page": "end_page", "urls": "url",
}  # fmt: skip

KNOWN: dict[str, str] = {}
for _table in (_OWN, _DUTCH, _EMBASE, _SCOPUS, _WEB_OF_SCIENCE, _PUBMED, _ZOTERO, _ENDNOTE,
               _COVIDENCE, _RAYYAN, _REFERENCE_MANAGERS):
    KNOWN.update(_table)
_NOT_NAME = re.compile(r"[\s_\-./()]+")
# Dropped, not a space: "Pagina's" (or Excel's "Pagina’s") is "paginas".
_APOSTROPHE = re.compile(r"['\u2018\u2019`]")


def column_key(header: str) -> str:
    """A header cell as the table matches it: "Publication_Year " → "publication year",
    "Pagina's" → "paginas"."""
    header = _APOSTROPHE.sub("", header.replace("\ufeff", "").casefold())
    return _NOT_NAME.sub(" ", header).strip()


@dataclass
class Columns:
    """What each header cell holds: names[i] is column i's field, or None (ignored)."""

    names: list[str | None]
    ignored: list[str] = field(default_factory=list)  # header cells, as written


def map_columns(header: list[str], mapping: Mapping[str, str] | None = None) -> Columns:
    """Map header cells to fields; `mapping` (header cell → field) overrides the table.

    A field taken by an earlier column leaves the later one ignored (e.g. Scopus's
    "Author full names" beside "Authors"); an empty header cell is ignored silently.
    Raises ValueError for a mapping to a field that does not exist.
    """
    chosen = {column_key(k): v for k, v in (mapping or {}).items()}
    wrong = sorted(v for v in chosen.values() if v not in FIELDS)
    if wrong:
        raise ValueError(wrong[0])
    names: list[str | None] = []
    ignored: list[str] = []
    taken: set[str] = set()
    for cell in header:
        key = column_key(cell)
        name = chosen.get(key) or KNOWN.get(key)
        if name is None or name in taken:
            names.append(None)
            if key:
                ignored.append(cell.strip())
            continue
        taken.add(name)
        names.append(name)
    return Columns(names, ignored)


def parse_assignments(values: list[str]) -> dict[str, str]:
    """"Header=field" options (CLI --column, API ?column=) as a mapping.

    Raises ValueError naming the first value that is not "header=field" with a known field.
    """
    mapping: dict[str, str] = {}
    for value in values:
        header, sign, name = value.rpartition("=")
        if not sign or not header.strip() or name.strip() not in FIELDS:
            raise ValueError(value)
        mapping[header.strip()] = name.strip()
    return mapping
