"""Export studies as CSV (the import header), RIS or registry JSON, streamed in pages.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, or a tab
or carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from importers.csv_format import COLUMNS
from registry.csv_cells import neutralise
from registry.extensions import db
from registry.models import Study
from registry.schemas.studies import StudySchema

EXPORT_FORMATS = ("csv", "ris", "json")
_RIS_TYPES = {"journal_article": "JOUR", "report": "RPRT", "book": "BOOK",
              "book_chapter": "CHAP", "thesis": "THES", "conference_paper": "CPAPER"}



def _studies(page_size: int = 500) -> Iterator[Study]:
    last_id = 0
    while True:
        page = list(db.session.scalars(
            select(Study).where(Study.id > last_id).order_by(Study.id).limit(page_size)
            .options(selectinload(Study.authors), selectinload(Study.findings),
                     selectinload(Study.design))))
        if not page:
            return
        yield from page
        last_id = page[-1].id
        db.session.expunge_all()  # keeps memory flat however many studies there are


def _author(author) -> str:
    name = author.family_name + (f", {author.given_names}" if author.given_names else "")
    return name + (f" {author.particle}" if author.particle else "")


def csv_row(study: Study) -> list[str]:
    """One study in the CSV import header's column order, neutralised."""
    values = {
        "authors": " | ".join(_author(a) for a in study.authors),
        "keywords": " | ".join(study.keywords or []),
        "design": study.design.code if study.design else "",
        "interventions": " | ".join(link.intervention.slug for link in study.intervention_links),
    }
    row = [values.get(c, getattr(study, c, None)) for c in COLUMNS]
    return [neutralise("" if v is None else str(v)) for v in row]


def export_csv() -> Iterator[str]:
    """CSV text in pieces: the import header, then one line per study."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for study in _studies():
        writer.writerow(csv_row(study))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def ris_record(study: Study) -> str:
    """One study as a RIS record (TY … ER)."""
    lines = [("TY", _RIS_TYPES.get(study.publication_type or "", "GEN"))]
    lines += [("AU", _author(a)) for a in study.authors]
    pages = (study.pages or "").split("-", 1)
    for tag, value in (("TI", study.title), ("PY", study.year), ("T2", study.journal),
                       ("PB", study.publisher), ("VL", study.volume), ("IS", study.issue),
                       ("SP", pages[0]), ("EP", pages[1] if len(pages) > 1 else None),
                       ("DO", study.doi), ("AN", study.pmid),
                       ("DB", "PubMed" if study.pmid else None), ("UR", study.url),
                       ("AB", study.abstract), ("LA", study.language)):
        if value not in (None, ""):
            lines.append((tag, " ".join(str(value).split())))
    lines += [("KW", k) for k in study.keywords or []]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n\n"


def export_ris() -> Iterator[str]:
    """RIS text in pieces, one record per study."""
    for study in _studies():
        yield ris_record(study)


def export_json() -> Iterator[str]:
    """A JSON list of studies as the API dumps them (imports back unchanged)."""
    schema = StudySchema()
    yield "["
    for index, study in enumerate(_studies()):
        yield ("," if index else "") + json.dumps(schema.dump(study), ensure_ascii=False)
    yield "]\n"


def export_studies(format_name: str) -> Iterator[str]:
    """The export in format_name. Raises ValueError for an unknown format."""
    exporters = {"csv": export_csv, "ris": export_ris, "json": export_json}
    if format_name not in exporters:
        raise ValueError(f"unknown export format {format_name!r}")
    return exporters[format_name]()
