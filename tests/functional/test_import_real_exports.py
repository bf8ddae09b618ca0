"""RIS and other text exports as reference managers and databases really write them:
accession numbers of other databases, PMIDs in notes, "In Press", lower-case tags,
files pasted together, and Windows-1252 text."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from importers.pipeline import commit_import, preview_import
from registry.errors import ImportRejected
from registry.extensions import db
from registry.models import Study


def ris(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([*lines, "ER  - ", ""])).encode(encoding)


VISSER = ("TY  - JOUR",
          "T1  - Loonkostensubsidie en duurzame plaatsing: een quasi-experimenteel onderzoek",
          "JF  - Tijdschrift voor Arbeidsvraagstukken", "Y1  - 2017///", "AU  - Visser, Sanne",
          "AU  - El Amrani, Youssef")


def test_another_databases_accession_number_is_no_pmid_and_finds_the_pubmed_record():
    pubmed = commit_import(io.BytesIO(ris(*VISSER, "AN  - 28111222", "DB  - PubMed")),
                           "pubmed.ris")
    cinahl = commit_import(io.BytesIO(ris(*VISSER, "AN  - 137766432", "DB  - cin20",
                                          "DP  - EBSCOhost")), "cinahl.ris")
    db.session.flush()
    assert (pubmed.new, cinahl.new, cinahl.duplicates) == (1, 0, 1)
    assert db.session.scalars(select(Study.pmid)).all() == ["28111222"]


def test_an_ovid_embase_accession_number_alone_is_no_pmid():
    report = preview_import(io.BytesIO(ris(*VISSER, "AN  - 2016123456", "DB  - Embase")),
                            "embase.ris")
    (record,) = report.new_records
    assert (report.invalid, record.get("pmid")) == (0, None)


def test_a_pmid_in_a_note_is_read_from_the_note():
    report = commit_import(io.BytesIO(ris(
        "TY  - JOUR", "TI  - Work-focused counselling for sick-listed employees: a cluster RCT",
        "AU  - Hoek, Lotte", "PY  - 2018", "N1  - PMID: 29371234; PMCID: PMC5812345")),
        "notes.ris")
    db.session.flush()
    assert report.invalid == 0
    assert db.session.scalars(select(Study.pmid)).all() == ["29371234"]


def test_in_press_imports_the_study_without_a_year_and_says_so():
    report = preview_import(io.BytesIO(ris(
        "TY  - JOUR", "TI  - Jobcoaching in de bijstand", "AU  - Smit, Anna",
        "Y1  - In Press")), "endnote.ris")
    assert (report.new, report.invalid, report.warnings) == (1, 0, 1)
    (warned,) = report.warning_records
    assert warned["warnings"][0]["field"] == "year"
    assert "In Press" in warned["warnings"][0]["message"]


def test_lower_case_tags_are_read_as_ris():
    content = ris("ty  - JOUR", "au  - Smit, Anna", "ti  - Jobcoaching voor jongeren met autisme",
                  "py  - 2020").replace(b"ER  - ", b"er  - ")
    report = preview_import(io.BytesIO(content), "lower.ris")
    assert (report.format, report.new, report.invalid) == ("ris", 1, 0)
    assert report.new_records[0]["title"] == "Jobcoaching voor jongeren met autisme"


def test_two_exports_pasted_together_keep_the_second_files_first_record():
    first = ris("TY  - JOUR", "TI  - Eerste studie over werk", "PY  - 2019")
    second = "\ufeff".encode() + ris("TY  - RPRT", "TI  - Tweede studie over werk", "PY  - 2020")
    report = preview_import(io.BytesIO("\ufeff".encode() + first + second), "samen.ris")
    assert (report.new, report.invalid) == (2, 0)


def test_a_windows_1252_export_is_read_and_the_report_says_which_encoding():
    content = ris("TY  - JOUR", "TI  - Re-integratie na ziekte: één aanpak, café-gesprekken",
                  "AU  - Müller, Jürgen", "PY  - 2021", encoding="cp1252")
    report = commit_import(io.BytesIO(content), "ansi.ris")
    db.session.flush()
    assert report.invalid == 0
    assert report.notes == ["Tekenset herkend als Windows-1252."]
    study = db.session.scalars(select(Study)).one()
    assert study.title == "Re-integratie na ziekte: één aanpak, café-gesprekken"
    assert study.authors[0].family_name == "Müller"


def test_utf8_and_windows_1252_lines_in_one_file_are_refused_with_both_lines():
    content = (ris("TY  - JOUR", "TI  - Eén studie", "PY  - 2021")
               + ris("TY  - JOUR", "TI  - Twee studies", "PY  - 2022", "AB  - café",
                     encoding="cp1252"))
    with pytest.raises(ImportRejected) as refused:
        preview_import(io.BytesIO(content), "gemengd.ris")
    assert "regel 2 is UTF-8, regel 8 niet" in refused.value.message


def test_the_registrys_own_ris_export_keeps_the_pmid():
    from importers.detect import parser_for
    from importers.export import ris_record
    from tests.factories import StudyFactory

    text = ris_record(StudyFactory(title="IPS in de bijstand", pmid="31234567"))
    (record,) = parser_for("ris")(io.BytesIO(text.encode()))
    assert record.data["pmid"] == "31234567"
