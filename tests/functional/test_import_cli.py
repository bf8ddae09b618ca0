"""flask import studies | findings | undo | export, through click's runner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Finding, ImportBatch, Study
from tests.factories import StudyFactory, make_intervention
from tests.functional.test_import_pipeline import SAMPLES


@pytest.fixture
def ips():
    return make_intervention(slug="ips-bijstand")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["import", *map(str, args)])


def count(model=Study) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_dry_run_writes_nothing(cli, ips):
    result = cli("studies", SAMPLES / "studies.ris", "--dry-run")
    assert (result.exit_code, "Proefrun" in result.output, count(), count(ImportBatch)) == (
        0, True, 0, 0)


def test_import_prints_the_summary_table(cli, ips):
    result = cli("studies", SAMPLES / "studies.ris")
    assert result.exit_code == 0, result.output
    assert "nieuw" in result.output and "Opgeslagen als import" in result.output
    assert count() == 3


def test_a_second_import_of_the_same_file_adds_nothing(cli, ips):
    cli("studies", SAMPLES / "studies.ris")
    before = count()
    result = cli("studies", SAMPLES / "studies.ris")
    assert (result.exit_code, count()) == (0, before)
    assert [line.split()[-1] for line in result.output.splitlines()
            if line.startswith("nieuw")] == ["0"]


def test_link_option_with_an_unknown_slug_fails_and_writes_nothing(cli, ips):
    result = cli("studies", SAMPLES / "studies.ris", "--link", "bestaat-niet")
    assert (result.exit_code, "Onbekende interventie" in result.output, count()) == (1, True, 0)


def test_undo_command_removes_the_batch(cli, ips):
    cli("studies", SAMPLES / "studies.ris")
    batch_id = db.session.scalar(select(ImportBatch.id))
    result = cli("undo", batch_id)
    assert (result.exit_code, count()) == (0, 0)


def test_findings_command_with_an_error_writes_nothing(cli, tmp_path):
    StudyFactory(doi="10.5555/een")
    path = tmp_path / "bevindingen.csv"
    path.write_text("study,outcome_domain,measure,direction\n"
                    "10.5555/een,work,Aan het werk,favourable\n"
                    "10.5555/een,work,Aan het werk,beter\n", encoding="utf-8")
    result = cli("findings", path)
    assert (result.exit_code, "regel 3: direction" in result.output, count(Finding)) == (
        1, True, 0)


def test_export_writes_csv_with_the_import_header(cli):
    StudyFactory(title="Werk eerst")
    result = cli("export", "--format", "csv")
    assert result.output.splitlines()[0].startswith("title,authors,year")
    assert "Werk eerst" in result.output


def test_the_import_lowers_its_cpu_priority_by_the_setting(app, cli, ips, monkeypatch):
    lowered: list[int] = []
    monkeypatch.setattr("importers.cli.os.nice", lowered.append)
    monkeypatch.setitem(app.config, "IMPORT_NICE", 10)
    cli("studies", SAMPLES / "studies.ris", "--dry-run")
    monkeypatch.setitem(app.config, "IMPORT_NICE", 0)
    cli("studies", SAMPLES / "studies.ris", "--dry-run")
    assert lowered == [10]
