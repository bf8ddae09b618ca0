"""The pipeline against the database: preview, commit, dedup across formats, undo."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from importers import dedup
from importers.batches import decide_pending, undo_batch
from importers.pipeline import commit_import, preview_import
from registry.effects.appraisal import RATINGS
from registry.errors import Conflict, ImportRejected
from registry.extensions import db
from registry.models import (
    ImportBatch,
    ImportBatchItem,
    InterventionStudy,
    PendingDuplicate,
    Study,
    StudyAuthor,
)
from registry.models.appraisal import AgreedAppraisal
from registry.schemas.studies import StudySchema
from tests.factories import StudyFactory, make_intervention

SAMPLES = Path(__file__).parent.parent / "unit" / "importers" / "samples"


def run(name: str, **kwargs):
    with (SAMPLES / name).open("rb") as stream:
        return commit_import(stream, name, **kwargs)


def count(model=Study) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ips():
    return make_intervention(slug="ips-bijstand")


def test_ris_commit_adds_valid_records_and_reports_invalid(ips):
    report = run("studies.ris")
    assert (report.new, report.invalid, count()) == (3, 0, 3)


def test_same_study_from_ris_and_pubmed_is_one(ips):
    run("studies.ris")
    report = run("pubmed.xml")
    assert (report.duplicates, report.new, count()) == (1, 1, 4)


def test_merge_fills_missing_fields_and_records_them(ips):
    run("studies.ris")
    run("pubmed.xml")
    study = db.session.scalar(select(Study).where(Study.doi == "10.1000/tva.2019.0035"))
    item = db.session.scalars(select(ImportBatchItem).filter_by(action="merged")).one()
    assert (study.pmid, item.method, "pmid" in item.changed_fields) == ("31234567", "doi", True)


def test_importing_the_same_file_twice_adds_nothing(ips):
    run("studies.ris")
    before = count(), count(StudyAuthor), count(InterventionStudy)
    report = run("studies.ris")
    assert (report.new, (count(), count(StudyAuthor), count(InterventionStudy))) == (0, before)


def test_preview_writes_nothing(ips):
    with (SAMPLES / "studies.ris").open("rb") as stream:
        report = preview_import(stream, "studies.ris")
    assert (report.new, count(), count(ImportBatch)) == (3, 0, 0)


def test_record_link_keyword_links_the_intervention(ips):
    run("studies.ris")
    assert [link.study.year for link in ips.study_links] == [2019]


def test_fuzzy_title_match_waits_for_a_person():
    StudyFactory(title="Schuldhulp eerst: een proces-evaluatie in Rotterdam", year=2021,
                 doi=None, authors=[("Vries", "de", "P.")])
    report = run("studies.ris")
    pending = db.session.scalars(select(PendingDuplicate)).one()
    assert (report.probable, pending.method, pending.score >= 90) == (1, "fuzzy_title", True)


def test_deciding_add_creates_the_study_and_undo_removes_it():
    StudyFactory(title="Schuldhulp eerst: een proces-evaluatie in Rotterdam", year=2021,
                 doi=None, authors=[("Vries", "de", "P.")])
    report = run("studies.ris")
    decide_pending(db.session.scalars(select(PendingDuplicate)).one(), "add", None)
    after_decision = count()
    undo_batch(db.session.get(ImportBatch, report.batch_id), None)
    assert (after_decision, count()) == (4, 1)


def test_undo_restores_what_a_merge_changed(app):
    existing = StudyFactory(doi="10.1000/tva.2019.0035", pmid=None, journal=None, volume=None,
                            authors=[("Berg", "van der", "Jan")])
    with app.test_request_context():
        snapshot = StudySchema().dump(existing)
        report = run("pubmed.xml")
        undo_batch(db.session.get(ImportBatch, report.batch_id), None)
        db.session.expire_all()
        restored = StudySchema().dump(db.session.get(Study, existing.id))
    assert (restored, count()) == (snapshot, 1)


def test_undo_twice_is_refused(ips):
    report = run("studies.ris")
    batch = db.session.get(ImportBatch, report.batch_id)
    undo_batch(batch, None)
    with pytest.raises(Conflict):
        undo_batch(batch, None)


def test_undo_refused_while_a_later_batch_merged_into_its_studies(ips):
    first = run("studies.ris")
    run("pubmed.xml")
    with pytest.raises(Conflict, match="eerst ongedaan"):
        undo_batch(db.session.get(ImportBatch, first.batch_id), None)


def _ris(title: str) -> bytes:
    return f"TY  - JOUR\nAU  - Smith, J\nTI  - {title}\nPY  - 2019\nER  - \n".encode()


def test_undo_refused_while_a_later_batch_waits_on_a_probable_duplicate_of_its_study():
    first = commit_import(io.BytesIO(_ris(
        "Effects of individual placement and support on employment")), "a.ris")
    second = commit_import(io.BytesIO(_ris(
        "Effects of individual placement and support on employment: a trial")), "b.ris")
    assert second.probable == 1
    with pytest.raises(Conflict, match="eerst ongedaan"):
        undo_batch(db.session.get(ImportBatch, first.batch_id), None)
    assert count(PendingDuplicate) == 1


def test_undo_refused_once_the_panel_rated_one_of_its_studies():
    ips = make_intervention(slug="ips", outcome="effective_good")
    report = commit_import(io.BytesIO(_ris("IPS bij bijstandsgerechtigden")), "a.ris",
                           link_slugs=("ips",))
    study = db.session.scalars(select(Study)).one()
    db.session.add(AgreedAppraisal(decision=ips.current_decision, study_id=study.id,
                                   rating=sorted(RATINGS)[0]))
    db.session.flush()
    with pytest.raises(Conflict, match="IPS bij bijstandsgerechtigden"):
        undo_batch(db.session.get(ImportBatch, report.batch_id), None)
    assert (count(), count(AgreedAppraisal)) == (1, 1)


def test_a_merge_leaves_out_a_pmid_another_study_holds_and_says_so():
    held = StudyFactory(title="Something else entirely", doi="10.1000/t", pmid="4242")
    target = StudyFactory(title="Supported employment in the Netherlands", doi="10.1000/s",
                          pmid=None)
    record = (b"TY  - JOUR\nTI  - Supported employment in the Netherlands\nAU  - Smith, J\n"
              b"PY  - 2019\nDO  - 10.1000/s\nAN  - 4242\nDB  - PubMed\nER  - \n")
    report = commit_import(io.BytesIO(record), "x.ris")
    db.session.flush()
    assert (report.duplicates, target.pmid, held.pmid) == (1, None, "4242")
    (warned,) = report.warning_records
    assert [w["field"] for w in warned["warnings"]] == ["pmid"]


def test_deciding_merge_leaves_out_a_doi_another_study_took_meanwhile():
    StudyFactory(title="Effects of individual placement and support on employment",
                 year=2019, doi=None, authors=[("Smith", None, "J")])
    assert commit_import(io.BytesIO(
        b"TY  - JOUR\nTI  - Effects of individual placement and support on employment: a "
        b"trial\nAU  - Smith, J\nPY  - 2019\nDO  - 10.1000/x\nER  - \n"), "a.ris").probable == 1
    assert commit_import(io.BytesIO(b"TY  - JOUR\nTI  - Unrelated\nAU  - Jones, K\nPY  - 2020"
                                    b"\nDO  - 10.1000/x\nER  - \n"), "b.ris").new == 1
    decide_pending(db.session.scalars(select(PendingDuplicate)).one(), "merge", None)
    assert db.session.scalars(select(Study.doi).order_by(Study.id)).all() == [None, "10.1000/x"]


def _titles_only(*titles: str, year: str = "2019") -> bytes:
    return b"title,year\n" + "".join(f"{t},{year}\n" for t in titles).encode()


def test_records_without_an_author_match_by_exact_title_and_year_only(monkeypatch):
    commit_import(io.BytesIO(_titles_only("Werkfit in de wijk")), "eerder.csv")
    calls = []
    ratio = dedup.fuzz.ratio
    monkeypatch.setattr(dedup.fuzz, "ratio", lambda *a, **k: calls.append(a) or ratio(*a, **k))
    report = preview_import(io.BytesIO(_titles_only(
        "Werkfit in de wijk", "Schuldhulp en werk", "Schuldhulp en werk", "Schuldhulp en werken"
    )), "a.csv")
    # No surname to agree on: never probable, and no pairwise title comparisons at all
    # (a file of titles alone was one block in which every record met every other).
    assert (report.duplicates, report.new, report.probable, calls) == (2, 2, 0, [])


@pytest.mark.parametrize(("first", "second"), [
    (("Исследование занятости COVID-19", "Иванов, И"), ("Опыт занятости COVID-19", "Петров, П")),
    (("Μελέτη 1", "Παππάς, Γ"), ("Έρευνα 1", "Οικονόμου, Α")),
])
def test_studies_in_other_scripts_are_told_apart(first, second):
    content = "".join(f"TY  - JOUR\nTI  - {title}\nAU  - {author}\nPY  - 2021\nER  - \n"
                      for title, author in (first, second)).encode()
    report = commit_import(io.BytesIO(content), "a.ris")
    assert (report.new, report.duplicates, report.probable) == (2, 0, 0)


def test_failed_import_leaves_database_as_it_was(ips):
    content = (SAMPLES / "pubmed.xml").read_bytes()
    truncated = content[: content.index(b"</PubmedArticle>") + 600]
    with pytest.raises(ImportRejected):
        commit_import(io.BytesIO(truncated), "kapot.xml")
    db.session.rollback()
    assert (count(), count(ImportBatch)) == (0, 0)


def test_json_round_trip_is_unchanged(app):
    study = StudyFactory(pmid="555", keywords=["IPS"], abstract="Tekst <b>met</b> markup")
    with app.test_request_context():
        dumped = StudySchema().dump(study)
        db.session.delete(study)
        db.session.flush()
        report = commit_import(io.BytesIO(json.dumps([dumped]).encode()), "studies.json")
        again = StudySchema().dump(db.session.get(Study, report.batch_id and _only_id()))
    strip = ("id", "links")
    assert {k: v for k, v in again.items() if k not in strip} == {
        k: v for k, v in dumped.items() if k not in strip}


def _only_id() -> int:
    return db.session.scalars(select(Study.id)).one()


def test_markup_in_title_is_stored_as_text():
    content = b"TY  - JOUR\nTI  - <script>alert(1)</script> Werk\nER  - \n"
    commit_import(io.BytesIO(content), "x.ris")
    assert db.session.scalars(select(Study.title)).one() == "<script>alert(1)</script> Werk"


def test_unknown_link_slug_is_rejected():
    with pytest.raises(ImportRejected, match="Onbekende interventie"):
        run("studies.ris", link_slugs=("bestaat-niet",))
