"""Deduplication does not depend on how the file is cut into chunks: records of later
chunks find earlier ones (by DOI, PMID, title/year/author and fuzzy title) through the
temporary table of file keys, and the database side is read again for every chunk."""

from __future__ import annotations

import io
import random

import pytest
from sqlalchemy import inspect, select

from importers import pipeline
from importers.pipeline import commit_import, preview_import
from registry.extensions import db
from registry.models import ImportBatchItem, PendingDuplicate

WORDS = ["effect", "re-integratie", "werk", "bijstand", "jobcoaching", "schulden", "trial",
         "participatie", "cohort", "employment", "support", "youth", "taal", "outcomes"]


def ris_file(count: int, seed: int, offset: int = 0) -> bytes:
    # Repeats (same DOI), near-duplicates (a character dropped, no DOI/PMID), same titles
    # with another DOI (never merged), PMID-only repeats; few surnames, so blocks fill up.
    rng = random.Random(seed)
    records: list[dict] = []
    for number in range(count):
        roll = rng.random()
        if records and roll < 0.15:
            record = dict(rng.choice(records))
        elif records and roll < 0.25:
            record = dict(rng.choice(records))
            cut = rng.randrange(len(record["title"]) - 5)
            title = record["title"]
            record.update(title=title[:cut] + title[cut + 1:], doi=None, pmid=None)
        elif records and roll < 0.30:
            record = dict(rng.choice(records), doi=f"10.5555/other.{offset + number}")
        elif records and roll < 0.35:
            record = dict(rng.choice(records), doi=None)
        else:
            record = {"title": " ".join(rng.sample(WORDS, 7)).capitalize(),
                      "author": rng.choice(["Jansen", "de Vries", "Bakker", "Yılmaz"]),
                      "year": rng.randint(2000, 2003), "doi": f"10.5555/c.{offset + number}",
                      "pmid": str(20_000_000 + offset + number)}
        records.append(record)
    lines = []
    for r in records:
        lines += ["TY  - JOUR", f"TI  - {r['title']}", f"PY  - {r['year']}",
                  f"AU  - {r['author']}, A."]
        lines += [f"DO  - {r['doi']}"] if r["doi"] else []
        lines += [f"AN  - {r['pmid']}", "DB  - PubMed"] if r["pmid"] else []
        lines += ["ER  - ", ""]
    return "\n".join(lines).encode()


@pytest.fixture(autouse=True)
def full_lists(monkeypatch):
    monkeypatch.setattr(pipeline, "LIST_LIMIT", 10**6)


def preview(data: bytes, chunk: int, monkeypatch) -> dict:
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", chunk)
    report = preview_import(io.BytesIO(data), "x.ris").as_dict()
    assert report["probable"] and report["duplicates"]
    return report


def commit(data: bytes, chunk: int, monkeypatch) -> tuple:
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", chunk)
    report = commit_import(io.BytesIO(data), "x.ris")
    items = db.session.execute(select(
        ImportBatchItem.record_number, ImportBatchItem.action, ImportBatchItem.method,
        ImportBatchItem.score).where(ImportBatchItem.batch_id == report.batch_id)
        .order_by(ImportBatchItem.record_number)).all()
    pending = db.session.execute(select(
        PendingDuplicate.record_number, PendingDuplicate.method, PendingDuplicate.score)
        .where(PendingDuplicate.batch_id == report.batch_id)
        .order_by(PendingDuplicate.record_number)).all()
    return report.counts(), items, pending


def test_preview_is_the_same_whatever_the_chunk_size(app, monkeypatch):
    data = ris_file(400, seed=3)
    assert preview(data, 7, monkeypatch) == preview(data, 1000, monkeypatch)


def test_preview_against_the_database_is_the_same_whatever_the_chunk_size(app, monkeypatch):
    commit_import(io.BytesIO(ris_file(300, seed=4)), "earlier.ris")
    data = ris_file(300, seed=5, offset=100) + b"\n" + ris_file(100, seed=4)
    assert preview(data, 1, monkeypatch) == preview(data, 1000, monkeypatch)


def test_commit_is_the_same_whatever_the_chunk_size(app, monkeypatch):
    data = ris_file(300, seed=6)
    small = commit(data, 5, monkeypatch)
    db.session.rollback()
    large = commit(data, 1000, monkeypatch)
    assert small[0] == large[0]
    assert small[1] == large[1]
    assert small[2] == large[2]


def test_no_temporary_table_is_left_behind(app, monkeypatch):
    commit(ris_file(50, seed=7), 10, monkeypatch)
    names = inspect(db.session.connection()).get_temp_table_names() if (
        db.engine.dialect.name == "sqlite") else []
    assert "import_file_keys" not in names


def test_studies_this_import_added_are_not_matched_as_database_studies(app, monkeypatch):
    # B fills A's empty year by its DOI; C resembles A's title in that year. The file's
    # keys (A without a year, B with another title) do not match C, and A's study, now
    # with a year, must not be found as a database study either: C is new.
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 2)
    title = "Effect van jobcoaching op werk in de bijstand"
    data = "\n".join([
        "TY  - JOUR", f"TI  - {title}", "AU  - Bakker, A.", "DO  - 10.5555/a", "ER  - ", "",
        "TY  - JOUR", "TI  - Iets heel anders", "AU  - Bakker, A.", "PY  - 2001",
        "DO  - 10.5555/a", "ER  - ", "",
        "TY  - JOUR", f"TI  - {title}", "AU  - Bakker, A.", "PY  - 2001", "ER  - ", "",
    ]).encode()
    report = commit_import(io.BytesIO(data), "x.ris")
    assert (report.new, report.duplicates, report.probable) == (2, 1, 0)
