"""Find duplicates of a record within the file and in the database.

Rules, in order (the first that applies wins):
1. same DOI (normalised)                                    → exact, method "doi"
2. same PMID                                                → exact, method "pmid"
3. same title_key, same year, same first-author surname     → exact, "title_year_author"
4. title similarity ≥ PROBABLE_THRESHOLD (rapidfuzz ratio on title_key, 0–100), year
   within ±1, same first-author surname                     → probable, "fuzzy_title"
Two records that both carry a DOI (or both a PMID) and disagree on it are never merged
by rules 3–4: an erratum or a companion paper often shares its title.

Blocking keeps this fast: rules 3–4 only compare records in the same block
(first-author surname key, year), so each record meets a handful of others. Records
without a year only meet records without a year. The database side is read per chunk
of records from the indexed key columns, never as ORM objects, and each block once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select

from importers.validate import ValidRecord
from registry.extensions import db
from registry.models import Study

PROBABLE_THRESHOLD = 90.0
YEAR_TOLERANCE = 1


@dataclass(frozen=True, slots=True)
class Match:
    """A duplicate: target is ("file", record number) or ("db", study id)."""

    source: str
    target: int
    method: str
    score: float

    @property
    def exact(self) -> bool:
        return self.method != "fuzzy_title"


@dataclass(frozen=True, slots=True)
class Entry:
    title_key: str
    doi: str | None
    pmid: str | None
    ref: int


class KeyIndex:
    """DOI, PMID and blocked title keys of records, pointing at a reference number."""

    def __init__(self) -> None:
        self.by_doi: dict[str, int] = {}
        self.by_pmid: dict[str, int] = {}
        self.blocks: dict[tuple[str, int | None], list[Entry]] = defaultdict(list)

    def add(self, entry: Entry, author_key: str, year: int | None) -> None:
        """Remember a record (or study) under all its keys."""
        if entry.doi:
            self.by_doi.setdefault(entry.doi, entry.ref)
        if entry.pmid:
            self.by_pmid.setdefault(entry.pmid, entry.ref)
        if entry.title_key:
            self.blocks[(author_key, year)].append(entry)

    def find(self, record: ValidRecord) -> tuple[str, int, float] | None:
        """(method, ref, score) of the best duplicate of record, or None."""
        if record.doi and record.doi in self.by_doi:
            return "doi", self.by_doi[record.doi], 100.0
        if record.pmid and record.pmid in self.by_pmid:
            return "pmid", self.by_pmid[record.pmid], 100.0
        return self._find_title(record)

    def _find_title(self, record: ValidRecord) -> tuple[str, int, float] | None:
        if not record.title_key:
            return None
        best: tuple[str, int, float] | None = None
        for year in _years(record.year):
            for entry in self.blocks.get((record.author_key, year), ()):
                # The score first: the cutoff makes most of them 0 at C speed.
                score = fuzz.ratio(record.title_key, entry.title_key,
                                   score_cutoff=PROBABLE_THRESHOLD)
                if not score or _conflicting_ids(record, entry):
                    continue
                if score == 100.0 and year == record.year:
                    return "title_year_author", entry.ref, 100.0
                if best is None or score > best[2]:
                    best = ("fuzzy_title", entry.ref, score)
        return best


def _years(year: int | None) -> Iterable[int | None]:
    if year is None:
        return (None,)
    return (year, *(year + d for d in range(-YEAR_TOLERANCE, YEAR_TOLERANCE + 1) if d))


def _conflicting_ids(record: ValidRecord, entry: Entry) -> bool:
    return bool(
        (record.doi and entry.doi and record.doi != entry.doi)
        or (record.pmid and entry.pmid and record.pmid != entry.pmid)
    )


class Deduplicator:
    """Matches records against those seen earlier in the file, then the database."""

    def __init__(self) -> None:
        self.file = KeyIndex()
        self.database = KeyIndex()
        # Studies this import added: the database index must not report them again.
        self.own_study_ids: set[int] = set()
        self.loaded_blocks: set[tuple[str, int | None]] = set()
        self.loaded_ids: set[int] = set()

    def prefetch(self, records: list[ValidRecord]) -> None:
        """Load the database keys that records of this chunk could match (a few queries).

        What was loaded stays loaded: each block is read once per import, however many
        chunks need it (studies this import added are matched through the file index).
        """
        columns = (Study.id, Study.title_key, Study.doi, Study.pmid,
                   Study.first_author_key, Study.year)
        queries = []
        dois = sorted({r.doi for r in records if r.doi} - self.database.by_doi.keys())
        pmids = sorted({r.pmid for r in records if r.pmid} - self.database.by_pmid.keys())
        if dois:
            queries.append(select(*columns).where(Study.doi.in_(dois)))
        if pmids:
            queries.append(select(*columns).where(Study.pmid.in_(pmids)))
        queries.extend(_block_queries(columns, records, self.loaded_blocks))
        for query in queries:
            for study_id, title, doi, pmid, author, year in db.session.execute(query):
                if study_id not in self.own_study_ids and study_id not in self.loaded_ids:
                    self.loaded_ids.add(study_id)
                    self.database.add(Entry(title or "", doi, pmid, study_id), author or "", year)

    def match(self, record: ValidRecord) -> Match | None:
        """The duplicate of record in the file, else in the database; None if it is new."""
        for source, index in (("file", self.file), ("db", self.database)):
            found = index.find(record)
            if found:
                return Match(source, found[1], found[0], round(found[2], 1))
        return None

    def remember(self, record: ValidRecord, number: int) -> None:
        """Let later records of the file match this one (by its record number)."""
        entry = Entry(record.title_key, record.doi, record.pmid, number)
        self.file.add(entry, record.author_key, record.year)


def _block_queries(columns: tuple, records: list[ValidRecord],
                   loaded: set[tuple[str, int | None]]) -> list:
    # One query per year with the surnames of that year: each is a set of exact seeks on
    # the (first_author_key, year) index, which a row-value IN list does not get in SQLite.
    by_year: dict[int | None, set[str]] = defaultdict(set)
    for record in records:
        if record.title_key:
            for year in _years(record.year):
                if (record.author_key, year) not in loaded:
                    by_year[year].add(record.author_key)
                    loaded.add((record.author_key, year))
    queries = []
    for year, keys in sorted(by_year.items(), key=lambda item: item[0] or 0):
        ordered = sorted(keys)
        same_year = Study.year.is_(None) if year is None else Study.year == year
        for start in range(0, len(ordered), 5000):  # under SQLite's parameter limit
            queries.append(select(*columns).where(
                same_year, Study.first_author_key.in_(ordered[start : start + 5000])))
    return queries
