"""Moving a registry: both exports (studies as JSON, interventions) imported into an
empty registry give byte-identical exports again; and an intervention import keeps the
search index in step with the database, also when it fails or is undone. On databases
of their own, committed to for real."""

from __future__ import annotations

from pathlib import Path

from registry.demo.loader import load_demo
from registry.extensions import db
from registry.search import sync
from tests.conftest import app_on_own_database, new_database
from tests.functional.interchange_support import interchange, record, write
from tests.functional.search_support import index_dir, total


def export_both(app, folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    studies, interventions = folder / "studies.json", folder / "interventies.json"
    runner = app.test_cli_runner()
    for args in (["import", "export", "--format", "json", "-o", studies],
                 ["interventions", "export", "-o", interventions]):
        result = runner.invoke(args=list(map(str, args)))
        assert result.exit_code == 0, result.output
    return studies, interventions


def test_both_exports_round_trip_through_an_empty_registry(db_session, tmp_path):
    with new_database(tmp_path, "source") as source_url, \
            new_database(tmp_path, "target") as target_url:
        with app_on_own_database(source_url, tmp_path / "source") as source:
            load_demo()
            db.session.commit()
            first = export_both(source, tmp_path / "first")
        with app_on_own_database(target_url, tmp_path / "target") as target:
            runner = target.test_cli_runner()
            for args in (["import", "studies", first[0]], ["interventions", "import", first[1]]):
                result = runner.invoke(args=list(map(str, args)))
                assert result.exit_code == 0, result.output
            second = export_both(target, tmp_path / "second")
    assert b'"interventions": [\n  {' in first[1].read_bytes()  # not an empty catalogue
    assert b'"study_appraisals": [{"doi"' in first[1].read_bytes()  # the panel's too
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_the_index_follows_an_import_its_failure_and_its_undo(live_search_app, tmp_path):
    runner = live_search_app.test_cli_runner()
    bad = write(tmp_path, interchange(record(), record(slug="kapot", tags={"barrier": ["x"]})),
                "kapot.json")
    assert runner.invoke(args=["interventions", "import", str(bad)]).exit_code == 1
    assert total(live_search_app, "werkfit") == 0
    good = write(tmp_path, interchange(record()))
    assert runner.invoke(args=["interventions", "import", str(good)]).exit_code == 0
    assert total(live_search_app, "werkfit") == 1
    assert not sync.verify(db.engine, index_dir(live_search_app))
    assert runner.invoke(args=["interventions", "undo", "1"]).exit_code == 0
    assert total(live_search_app, "werkfit") == 0
    assert not sync.verify(db.engine, index_dir(live_search_app))
