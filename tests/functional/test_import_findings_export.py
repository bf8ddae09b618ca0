"""Findings from CSV (all rows or none, per-row Dutch errors, undo) and the study export
(formula injection neutralised; RIS and JSON import back to the same studies)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from importers.batches import undo_batch
from importers.export import export_studies
from importers.findings import import_findings
from importers.pipeline import commit_import
from registry.extensions import db
from registry.models import Finding, ImportBatch, Study
from registry.schemas.studies import StudySchema
from tests.factories import FindingFactory, StudyFactory

HEADER = "study,outcome_domain,measure,time_point_months,effect_size,direction\n"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def findings(text: str, commit: bool = True):
    return import_findings(io.BytesIO(text.encode()), "bevindingen.csv", commit=commit)


@pytest.fixture
def study():
    return StudyFactory(doi="10.5555/een", pmid="123")


def test_valid_findings_are_added_in_one_batch(study):
    report = findings(HEADER + "10.5555/een,work,Aan het werk,12,1.2,favourable\n"
                      "pmid:123,income,Inkomen,6,,null\n")
    batch = db.session.get(ImportBatch, report.batch_id)
    assert (report.added, count(Finding), batch.kind) == (2, 2, "findings")


def test_one_bad_row_means_nothing_is_written(study):
    report = findings(HEADER + "10.5555/een,work,Aan het werk,12,1.2,favourable\n"
                      "10.5555/onbekend,work,Aan het werk,12,1.2,favourable\n")
    assert (count(Finding), count(ImportBatch)) == (0, 0)
    assert report.errors == [{"line": 3, "field": "study",
                              "message": "Geen studie gevonden bij '10.5555/onbekend'."}]


def test_row_errors_are_dutch_per_field(study):
    report = findings(HEADER + "10.5555/een,werkplek,Aan het werk,12,1.2,favourable\n")
    assert report.errors == [{"line": 2, "field": "outcome_domain",
                              "message": "Onbekend uitkomstdomein 'werkplek'."}]


def test_every_problem_of_a_row_is_listed_at_once(study):
    report = findings(HEADER + "10.5555/een,werkplek,Aan het werk,twaalf,1.2,favourable\n")
    assert {error["field"] for error in report.errors} == {"outcome_domain",
                                                           "time_point_months"}


def test_which_side_is_better_is_read_by_its_dutch_column_or_refused_by_name(study):
    header = HEADER.rstrip("\n") + ",lager_is_beter\n"
    report = findings(header + "10.5555/een,income,Uitkering,12,0.8,favourable,true\n")
    assert (report.added, db.session.scalars(select(Finding.lower_is_better)).all()) == (
        1, [True])
    refused = findings(header + "10.5555/een,income,Verzuim,12,0.8,null,misschien\n")
    assert ([e["field"] for e in refused.errors], count(Finding)) == (["lower_is_better"], 1)


def test_a_dry_run_checks_without_writing(study):
    report = findings(HEADER + "10.5555/een,work,Aan het werk,12,1.2,favourable\n",
                      commit=False)
    assert (report.rows, report.errors, count(Finding)) == (1, [], 0)


def test_importing_the_same_findings_twice_adds_nothing(study):
    text = HEADER + "10.5555/een,work,Aan het werk,12,1.2,favourable\n"
    findings(text)
    report = findings(text)
    assert (report.added, report.skipped, count(Finding)) == (0, 1, 1)


def test_undo_of_a_findings_batch_removes_only_its_findings(study):
    FindingFactory(study=study, measure="Oud")
    report = findings(HEADER + "10.5555/een,work,Aan het werk,12,1.2,favourable\n")
    undo_batch(db.session.get(ImportBatch, report.batch_id), None)
    assert (db.session.scalars(select(Finding.measure)).all(), count(Study)) == (["Oud"], 1)


def export(format_name: str) -> str:
    return "".join(export_studies(format_name))


def test_csv_export_neutralises_spreadsheet_formulas():
    StudyFactory(title='=HYPERLINK("http://kwaad.example","klik")', journal="+31 Werk")
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert (rows[0]["title"], rows[0]["journal"]) == (
        '\'=HYPERLINK("http://kwaad.example","klik")', "'+31 Werk")


@pytest.mark.parametrize("format_name", ["ris", "json"])
def test_export_imports_back_to_the_same_studies(app, format_name):
    StudyFactory(title="Werk eerst", pmid="777", keywords=["IPS"],
                 authors=[("Berg", "van der", "J.")])
    StudyFactory(title="Schulden en werk", doi="10.5555/twee", year=2019)
    with app.test_request_context():
        before = _dumps()
        text = export(format_name)
    for study in db.session.scalars(select(Study)):
        db.session.delete(study)
    db.session.flush()
    report = commit_import(io.BytesIO(text.encode()), f"export.{format_name}")
    with app.test_request_context():
        after = _dumps()
    assert (report.new, _citations(after)) == (2, _citations(before))


def _dumps() -> list[dict]:
    studies = db.session.scalars(select(Study).order_by(Study.title))
    return [StudySchema().dump(s) for s in studies]


def _citations(dumps: list[dict]) -> list[tuple]:
    # What a citation is made of; the design and quality are not part of RIS.
    return [(d["title"], d["year"], d["journal"], d["doi"], d["pmid"], d["keywords"],
             [(a["family_name"], a["particle"], a["given_names"]) for a in d["authors"]])
            for d in dumps]
