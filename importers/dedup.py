"""Find duplicates of a record within the file and in the database.

Rules, in order (the first that applies wins):
1. same DOI (normalised)                                    → exact, method "doi"
2. same PMID                                                → exact, method "pmid"
3. same title_key, same year, same first-author surname     → exact, "title_year_author"
4. title similarity ≥ PROBABLE_THRESHOLD (rapidfuzz ratio on title_key, 0–100), year
   within ±1, same first-author surname                     → probable, "fuzzy_title"
Two records that both carry a DOI (or both a PMID) and disagree on it are never merged
by rules 3–4: an erratum or a companion paper often shares its title. A record without
a first author has no surname to agree on: it matches by rule 3 only (the same title
key and year as another record without one), never as probable.

Blocking keeps this fast: rules 3–4 only compare records in the same block
(first-author surname key, year), so each record meets a handful of others. Records
without a year only meet records without a year; records without an author are looked
up by their title key (a file of titles alone would otherwise be one block in which
every record meets every other). The database side is read per chunk
of records from the indexed key columns, never as ORM objects; the file side likewise
from a temporary table of the keys of the records seen so far, so memory does not grow
with the length of the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, any_, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from importers.validate import ValidRecord
from registry.bulk_insert import insert_rows
from registry.extensions import db, on_postgresql
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
        # Records without a first author, by (title key, year): matched exactly only.
        self.authorless: dict[tuple[str, int | None], Entry] = {}

    def add(self, entry: Entry, author_key: str, year: int | None) -> None:
        """Remember a record (or study) under all its keys."""
        if entry.doi:
            self.by_doi.setdefault(entry.doi, entry.ref)
        if entry.pmid:
            self.by_pmid.setdefault(entry.pmid, entry.ref)
        if entry.title_key and author_key:
            self.blocks[(author_key, year)].append(entry)
        elif entry.title_key:
            self.authorless.setdefault((entry.title_key, year), entry)

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
        if not record.author_key:
            entry = self.authorless.get((record.title_key, record.year))
            if entry is None or _conflicting_ids(record, entry):
                return None
            return "title_year_author", entry.ref, 100.0
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
    """Matches records against those seen earlier in the file, then the database.

    Memory stays flat however long the file: the keys of the records seen so far wait in
    a temporary table (same connection and transaction; SQLite and PostgreSQL), and both
    indexes hold only what the current chunk could match, read per chunk. Call start()
    before the first chunk, end_chunk() after each, finish() after the last.
    """

    def __init__(self) -> None:
        self.file = KeyIndex()
        self.database = KeyIndex()
        # Record number → study id, for the file entries the current chunk can see.
        self.study_of: dict[int, int] = {}
        # Studies this import added, as [first, last] id runs: the database side must not
        # report them again (they are matched through the file's keys).
        self.own_runs: list[list[int]] = []
        self._remembered: list[dict[str, Any]] = []
        self._started = False

    def start(self) -> None:
        """Create the (empty) temporary table of file keys."""
        connection = db.session.connection()
        _FILE_KEYS.drop(connection, checkfirst=True)  # left over from a failed preview
        _FILE_KEYS.create(connection)
        self._started = True

    def finish(self) -> None:
        """Drop the temporary table (a rollback drops it too)."""
        if self._started:
            _FILE_KEYS.drop(db.session.connection())
            self._started = False

    def add_own(self, study_ids: Iterable[int]) -> None:
        """Note studies this import added (kept as runs of consecutive ids)."""
        runs = self.own_runs
        for study_id in sorted(study_ids):
            if runs and runs[-1][0] <= study_id <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], study_id)
            else:
                runs.append([study_id, study_id])

    def prefetch(self, records: list[ValidRecord]) -> None:
        """Load the keys records of this chunk could match, from the file so far and from
        the database (a few queries each); what the previous chunk loaded is dropped."""
        self.file, self.database, self.study_of = KeyIndex(), KeyIndex(), {}
        if self._started:
            self._load_file(records)
        columns = (Study.id, Study.title_key, Study.doi, Study.pmid,
                   Study.first_author_key, Study.year)
        not_own = [~Study.id.between(first, last) for first, last in self.own_runs]
        wanted = _Wanted(records)
        seen: set[int] = set()
        for query in _key_queries(columns, Study.doi, Study.pmid, Study.first_author_key,
                                  Study.year, Study.title_key, records):
            for study_id, title, doi, pmid, author, year in db.session.execute(
                    query.where(*not_own)):
                title, author = title or "", author or ""
                if study_id not in seen and wanted(title, doi, pmid, author, year):
                    seen.add(study_id)
                    self.database.add(Entry(title, doi, pmid, study_id), author, year)

    def _load_file(self, records: list[ValidRecord]) -> None:
        # The entries of the file so far that a record of the chunk could match, added in
        # the order they were remembered (the first one wins).
        table = _FILE_KEYS.c
        columns = (table.seq, table.ref, table.study_id, table.title_key, table.doi,
                   table.pmid, table.author_key, table.year)
        wanted = _Wanted(records)
        rows = {}
        for query in _key_queries(columns, table.doi, table.pmid, table.author_key,
                                  table.year, table.title_key, records):
            for row in db.session.execute(query):
                if row[0] not in rows and wanted(*row[3:]):
                    rows[row[0]] = row
        for _seq, ref, study_id, title, doi, pmid, author, year in (
                rows[seq] for seq in sorted(rows)):
            self.file.add(Entry(title, doi, pmid, ref), author, year)
            self.study_of[ref] = study_id

    def end_chunk(self) -> None:
        """Write this chunk's remembered keys to the temporary table."""
        if self._started and self._remembered:
            for entry in self._remembered:
                entry["study_id"] = self.study_of.get(entry["ref"], 0)
            insert_rows(_FILE_KEYS, self._remembered)
        self._remembered = []

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
        if record.title_key or record.doi or record.pmid:
            self._remembered.append({
                "ref": number, "title_key": record.title_key, "doi": record.doi,
                "pmid": record.pmid, "author_key": record.author_key, "year": record.year})


class _Wanted:
    """Whether a row read for a chunk could match one of its records: the same DOI or
    PMID, or a title scoring at least PROBABLE_THRESHOLD against a record whose blocks
    include the row's. Only such rows are kept, so what a chunk holds does not grow with
    the number of records already in its blocks (the rest could never be returned)."""

    def __init__(self, records: list[ValidRecord]) -> None:
        self.dois = {r.doi for r in records if r.doi}
        self.pmids = {r.pmid for r in records if r.pmid}
        self.titles: dict[tuple[str, int | None], list[str]] = defaultdict(list)
        self.authorless = {(r.title_key, r.year) for r in records
                           if r.title_key and not r.author_key}
        for record in records:
            if record.title_key and record.author_key:
                for year in _years(record.year):
                    self.titles[(record.author_key, year)].append(record.title_key)

    def __call__(self, title: str, doi: str | None, pmid: str | None, author: str,
                 year: int | None) -> bool:
        if (doi and doi in self.dois) or (pmid and pmid in self.pmids):
            return True
        if not author:
            return (title, year) in self.authorless
        return bool(title) and any(
            fuzz.ratio(key, title, score_cutoff=PROBABLE_THRESHOLD)
            for key in self.titles.get((author, year), ()))


_FILE_KEYS = Table(
    "import_file_keys", MetaData(),
    Column("seq", Integer, primary_key=True),
    Column("ref", Integer, nullable=False),
    Column("study_id", Integer, nullable=False),
    Column("title_key", Text, nullable=False),
    Column("doi", Text),
    Column("pmid", Text),
    Column("author_key", Text, nullable=False),
    Column("year", Integer),
    Index("ix_import_file_keys_doi", "doi"),
    Index("ix_import_file_keys_pmid", "pmid"),
    Index("ix_import_file_keys_block", "author_key", "year"),
    Index("ix_import_file_keys_title", "title_key"),
    prefixes=["TEMPORARY"],
)


def _key_queries(columns: tuple, doi_column, pmid_column, author_column, year_column,
                 title_column, records: list[ValidRecord]) -> list:
    # The rows sharing a DOI, a PMID or a block (first-author key, year ±1) with records,
    # and for records without an author the rows with their title key.
    queries = []
    dois = sorted({r.doi for r in records if r.doi})
    pmids = sorted({r.pmid for r in records if r.pmid})
    titles = sorted({r.title_key for r in records if r.title_key and not r.author_key})
    if dois:
        queries.append(select(*columns).where(_one_of(doi_column, dois)))
    if pmids:
        queries.append(select(*columns).where(_one_of(pmid_column, pmids)))
    if titles:
        queries.append(select(*columns).where(_one_of(title_column, titles)))
    return queries + _block_queries(columns, author_column, year_column, records)


def _block_queries(columns: tuple, author_column, year_column,
                   records: list[ValidRecord]) -> list:
    # One query per year with the surnames of that year: each is a set of exact seeks on
    # the (first_author_key, year) index, which a row-value IN list does not get in SQLite.
    by_year: dict[int | None, set[str]] = defaultdict(set)
    for record in records:
        if record.title_key and record.author_key:
            for year in _years(record.year):
                by_year[year].add(record.author_key)
    if on_postgresql():
        return _block_queries_postgresql(columns, author_column, year_column, by_year)
    queries = []
    for year, keys in sorted(by_year.items(), key=lambda item: item[0] or 0):
        ordered = sorted(keys)
        same_year = year_column.is_(None) if year is None else year_column == year
        for start in range(0, len(ordered), 5000):  # under SQLite's parameter limit
            queries.append(select(*columns).where(
                same_year, _one_of(author_column, ordered[start : start + 5000])))
    return queries


def _block_queries_postgresql(columns: tuple, author_column, year_column,
                              by_year: dict[int | None, set[str]]) -> list:
    # Every (surname key, year) pair in one query: a join with the pairs unnested from
    # two array parameters (index seeks on (first-author key, year) as above), and one
    # for the records without a year. Per chunk 2 statements instead of one per year.
    pairs = [(key, year) for year, keys in by_year.items() if year is not None
             for key in sorted(keys)]
    queries = []
    if pairs:
        wanted = select(
            func.unnest(literal([key for key, _ in pairs], ARRAY(Text))).label("author"),
            func.unnest(literal([year for _, year in pairs], ARRAY(Integer))).label("year"),
        ).subquery()
        queries.append(select(*columns).join(wanted, (author_column == wanted.c.author)
                                             & (year_column == wanted.c.year)))
    if by_year.get(None):
        queries.append(select(*columns).where(
            year_column.is_(None), _one_of(author_column, sorted(by_year[None]))))
    return queries


def _one_of(column, values: list[str]):
    """column IN values; on PostgreSQL as = ANY(one array parameter): the same index
    seeks, in a short statement that psycopg parses once and the server prepares, where
    an IN list of hundreds of parameters is a new statement text each time."""
    if on_postgresql():
        return column == any_(literal(values, ARRAY(Text)))
    return column.in_(values)
