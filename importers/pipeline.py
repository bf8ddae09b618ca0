"""One pipeline for every format: parse → validate → dedup → preview or write.

preview_import() writes nothing; commit_import() writes every accepted record and one
ImportBatch in the caller's transaction (it flushes, the caller commits once, or rolls
back on any error so a failed import leaves no trace). Both stream the file in chunks.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any, BinaryIO

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from importers.dedup import Deduplicator, Match
from importers.detect import TABULAR, TEXT_LINES, detect_format, parser_for
from importers.source import RawRecord, detect_encoding, encoding_note, reject
from importers.store import Writer
from importers.tabular import TableOptions
from importers.validate import Lookups, ValidRecord, validate
from registry.errors import ImportRejected
from registry.extensions import db
from registry.models import AssessmentRound, ImportBatch, Intervention, VocabularyTerm
from registry.models.procedure import CLOSED_ROUND_STATES
from registry.ops.metrics import observe_import

CHUNK_SIZE = 1000
LIST_LIMIT = 500  # records listed per category in a report; the counts are always complete


@dataclass
class ImportReport:
    """What an import found (preview) or did (commit); the API returns it as JSON."""

    format: str
    file_name: str
    sha256: str
    committed: bool = False
    batch_id: int | None = None
    total: int = 0
    new: int = 0
    duplicates: int = 0
    merged: int = 0
    probable: int = 0
    invalid: int = 0
    warnings: int = 0  # valid records with a field dropped (see validate.FORGIVEN_FIELDS)
    ignored_columns: list[str] = field(default_factory=list)  # tabular files
    notes: list[str] = field(default_factory=list)  # e.g. the encoding detected
    new_records: list[dict] = field(default_factory=list)
    duplicate_records: list[dict] = field(default_factory=list)
    probable_records: list[dict] = field(default_factory=list)
    invalid_records: list[dict] = field(default_factory=list)
    warning_records: list[dict] = field(default_factory=list)

    def note(self, kind: str, entry: dict) -> None:
        listing = getattr(self, f"{kind}_records")
        if len(listing) < LIST_LIMIT:
            listing.append(entry)

    def counts(self) -> dict[str, int]:
        names = ("total", "new", "duplicates", "merged", "probable", "invalid", "warnings")
        return {name: getattr(self, name) for name in names}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_sha256(stream: BinaryIO) -> str:
    """The hex sha256 of the stream, read in chunks; rewinds it."""
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def load_lookups() -> Lookups:
    """Design and outcome-domain codes and intervention slugs, with their ids."""
    terms = db.session.execute(
        select(VocabularyTerm.vocabulary, VocabularyTerm.code, VocabularyTerm.id).where(
            VocabularyTerm.vocabulary.in_(("study_design", "outcome_domain"))
        )
    )
    lookups = Lookups(designs={}, outcome_domains={})
    for vocabulary, code, term_id in terms:
        target = lookups.designs if vocabulary == "study_design" else lookups.outcome_domains
        target[code] = term_id
    lookups.interventions = dict(
        db.session.execute(select(Intervention.slug, Intervention.id)).tuples().all()
    )
    lookups.assessed = set(db.session.scalars(
        select(Intervention.slug).join(AssessmentRound,
                                       AssessmentRound.intervention_id == Intervention.id)
        .where(AssessmentRound.state.not_in(CLOSED_ROUND_STATES))))
    return lookups


def _chunks(records: Iterator[RawRecord]) -> Iterator[list[RawRecord]]:
    while chunk := list(islice(records, CHUNK_SIZE)):
        yield chunk


class Run:
    """One pass over a file; with a writer it stores, without one it only counts."""

    def __init__(
        self,
        report: ImportReport,
        lookups: Lookups,
        writer: Writer | None,
        progress: Callable[[int], None] | None = None,
        max_records: int | None = None,
    ):
        self.report, self.lookups, self.writer = report, lookups, writer
        self.max_records = max_records
        self.dedup = Deduplicator()
        # Record number → study id for records added or merged (file duplicates follow
        # them); the deduplicator holds it for the entries the current chunk can see.
        self.study_of = self.dedup.study_of
        self.progress = progress

    def process(self, records: Iterator[RawRecord]) -> None:
        """Run every chunk. Raises ImportRejected when the file turns out to be unreadable."""
        self.dedup.start()
        try:
            self._chunks(records)
        except ImportRejected:
            self.dedup.finish()  # the transaction is still usable; leave nothing behind
            raise
        self.dedup.finish()
        if self.report.total == 0:
            raise reject(_("Het bestand bevat geen records."))

    def _chunks(self, records: Iterator[RawRecord]) -> None:
        for chunk in _chunks(records):
            self._refuse_past_the_cap(len(chunk))
            valid = [v for v in map(self._validate, chunk) if v is not None]
            self.dedup.prefetch(valid)
            self.study_of = self.dedup.study_of
            new: list[ValidRecord] = []
            exact: list[tuple[ValidRecord, Match]] = []
            probable: list[tuple[ValidRecord, Match]] = []
            for record in valid:
                self._decide(record, new, exact, probable)
            self._write(new, exact, probable)
            self.dedup.end_chunk()
            if self.progress:
                self.progress(len(chunk))

    def _refuse_past_the_cap(self, coming: int) -> None:
        """A request's import stops at max_records: each record costs about 0.1 ms to
        preview and 0.5 ms to store, so a 20 MB file of a million tiny records held a
        worker for minutes, past gunicorn's timeout. The command line has no cap."""
        if self.max_records is not None and self.report.total + coming > self.max_records:
            raise reject(_(
                "Het bestand bevat meer dan %(max)s records. Splits het in delen van ten "
                "hoogste %(max)s records, of vraag een beheerder het te importeren met "
                "'flask import studies'. Er is niets opgeslagen.",
                max=format_decimal(self.max_records)))

    def _validate(self, raw: RawRecord) -> ValidRecord | None:
        self.report.total += 1
        record, problems = validate(raw, self.lookups)
        if record is not None and record.warnings:
            self.report.warnings += 1
            self.report.note("warning", {
                "number": raw.number,
                "line": raw.line,
                "title": record.values["title"][:300],
                "warnings": [{"field": f, "message": m} for f, m in record.warnings],
            })
        if record is None:
            self.report.invalid += 1
            self.report.note(
                "invalid",
                {
                    "number": raw.number,
                    "line": raw.line,
                    "title": str(raw.data.get("title") or "")[:300],
                    "problems": [{"field": f, "message": m} for f, m in problems],
                },
            )
        return record

    def _decide(self, record: ValidRecord, new: list, exact: list, probable: list) -> None:
        match = self.dedup.match(record)
        summary = {
            "number": record.number,
            "title": record.values["title"][:300],
            "year": record.year,
        }
        if match is None:
            self.report.new += 1
            self.report.note("new", summary)
            new.append(record)
        elif match.exact:
            self.report.duplicates += 1
            self.report.note("duplicate", {**summary, **_match_info(match)})
            exact.append((record, match))
        else:
            self.report.probable += 1
            self.report.note("probable", {**summary, **_match_info(match)})
            probable.append((record, match))
            return
        target = record.number if match is None or match.source == "db" else match.target
        self.dedup.remember(record, target)
        if match is not None and match.source == "db":
            self.study_of[record.number] = match.target

    def _study_id(self, match: Match) -> int:
        return match.target if match.source == "db" else self.study_of.get(match.target, 0)

    def _write(
        self,
        new: list[ValidRecord],
        exact: list[tuple[ValidRecord, Match]],
        probable: list[tuple[ValidRecord, Match]],
    ) -> None:
        if self.writer is None:
            return
        ids = self.writer.add(new)
        for record, study_id in zip(new, ids, strict=True):
            self.study_of[record.number] = study_id
        self.dedup.add_own(ids)
        merges = []
        for record, match in exact:
            study_id = self._study_id(match)
            self.study_of[record.number] = study_id
            merges.append((record, match, study_id))
        self.report.merged += self.writer.merge_many(merges)
        self._note_not_filled()
        for record, match in probable:
            self.writer.pend(record, match, self._study_id(match))


    def _note_not_filled(self) -> None:
        """A merge left a DOI or PMID out because another study holds it: say so."""
        for record, key, value in self.writer.not_filled:
            self.report.warnings += 1
            self.report.note("warning", {
                "number": record.number, "line": record.line,
                "title": record.values["title"][:300],
                "warnings": [{"field": key, "message": _(
                    "Niet overgenomen bij het samenvoegen: %(value)s hoort al bij een "
                    "andere studie in het register.", value=value)}]})
        self.writer.not_filled.clear()


def _match_info(match: Match) -> dict[str, Any]:
    where = "study_id" if match.source == "db" else "record_number"
    return {"method": match.method, "score": match.score, where: match.target}


def _prepare(stream: BinaryIO, file_name: str, format_name: str | None) -> ImportReport:
    sha = file_sha256(stream)
    name = format_name or detect_format(stream, file_name)
    parser_for(name)  # refuses an unknown --format before anything else
    return ImportReport(format=name, file_name=file_name, sha256=sha)


def _run(run: Run, stream: BinaryIO, columns: dict[str, str] | None,
         sheet: str | None = None) -> None:
    report = run.report
    options = TableOptions(mapping=dict(columns or {}), sheet=sheet)
    parser = parser_for(report.format)
    if report.format in TEXT_LINES:
        note = encoding_note(detect_encoding(stream))
        options.notes.extend([note] if note else [])
    run.process(parser(stream, options) if report.format in TABULAR else parser(stream))
    report.ignored_columns, report.notes = options.ignored, options.notes


def preview_import(
    stream: BinaryIO,
    file_name: str,
    format_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    max_records: int | None = None,
) -> ImportReport:
    """What importing the file would do; writes nothing. Raises ImportRejected.

    `columns` maps a tabular file's header cells to fields (importers/columns.py);
    `sheet` names an Excel workbook's sheet (default: the first); a file with more than
    `max_records` records is refused (requests pass IMPORT_MAX_RECORDS)."""
    report = _prepare(stream, file_name, format_name)
    _run(Run(report, load_lookups(), None, progress, max_records), stream, columns, sheet)
    return report


def commit_import(
    stream: BinaryIO,
    file_name: str,
    *,
    format_name: str | None = None,
    user_id: int | None = None,
    channel: str = "cli",
    link_slugs: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    max_records: int | None = None,
) -> ImportReport:
    """Import the file into the session's transaction (flushes, never commits).

    Raises ImportRejected for an unreadable file, an unknown --link slug or more than
    `max_records` records; the caller must then roll back.
    """
    started = time.perf_counter()
    report = _prepare(stream, file_name, format_name)
    lookups = load_lookups()
    unknown = [s for s in link_slugs if s not in lookups.interventions]
    if unknown:
        raise reject(_("Onbekende interventie '%(slug)s'.", slug=unknown[0]), "link")
    assessed = [s for s in link_slugs if s in lookups.assessed]
    if assessed:
        raise reject(_("De interventie '%(slug)s' wordt nu beoordeeld; koppel er studies "
                       "aan als de ronde is afgerond.", slug=assessed[0]), "link")
    batch = ImportBatch(
        format=report.format,
        file_name=file_name[:255],
        file_sha256=report.sha256,
        created_by_id=user_id,
        channel=channel,
        counts={},
    )
    db.session.add(batch)
    db.session.flush()
    writer = Writer(batch, lookups, [lookups.interventions[s] for s in link_slugs])
    _run(Run(report, lookups, writer, progress, max_records), stream, columns, sheet)
    batch.counts = report.counts()
    report.committed, report.batch_id = True, batch.id
    db.session.flush()
    size = stream.seek(0, os.SEEK_END)
    observe_import(time.perf_counter() - started, report.total, size)
    return report
