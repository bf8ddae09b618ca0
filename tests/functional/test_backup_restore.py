"""Backup and restore as docs/deploy.md tells it, then a search index rebuilt from the
restored database that agrees with it record for record."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from registry.extensions import db
from registry.models import Intervention, Study
from registry.search import sync
from tests.conftest import new_database
from tests.factories import StudyFactory, link, make_intervention

PUBLISHED = 3


@pytest.fixture
def catalogue(live_search_app):
    """Three published interventions (one with a study), a draft, committed for real."""
    for number in range(PUBLISHED):
        make_intervention(slug=f"hersteld-{number}", outcome="effective_good",
                          tags={"barrier": ["debt"]})
    make_intervention(slug="concept", published=False)
    link(db.session.scalar(sa.select(Intervention).filter_by(slug="hersteld-0")), StudyFactory())
    db.session.commit()
    return live_search_app


def sqlite_backup_and_restore(source_url: str, target_url: str, folder: Path) -> None:
    """`sqlite3 registry.sqlite ".backup backup.sqlite"` (online), then the backup copied
    into place."""
    backup = folder / "backup.sqlite"
    steps = ((make_url(source_url).database, backup), (backup, make_url(target_url).database))
    for source, target in steps:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_backup_and_restore(source_url: str, target_url: str, folder: Path) -> None:
    """`pg_dump -Fc`, then `pg_restore --clean --if-exists` into a fresh database and
    `vacuumdb --analyze-in-stages` (a dump holds no planner statistics), as
    docs/deploy.md says."""
    if not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "vacuumdb")):
        # A newcomer's machine may reach a server without its client tools; CI may not.
        if os.environ.get("REGISTRY_REQUIRE_POSTGRES") == "1":
            pytest.fail("pg_dump, pg_restore and vacuumdb are required "
                        "(REGISTRY_REQUIRE_POSTGRES=1)")
        pytest.skip("pg_dump, pg_restore or vacuumdb is not installed")
    dump = folder / "registry.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(source_url)], check=True)
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
         "-d", libpq(target_url), str(dump)],
        check=True,
    )
    subprocess.run(["vacuumdb", "--analyze-in-stages", "--quiet", "-d", libpq(target_url)],
                   check=True)


def counts(engine: sa.Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.scalar(sa.select(sa.func.count()).select_from(Intervention)),
                conn.scalar(sa.select(sa.func.count()).select_from(Study)))


def test_a_restored_database_rebuilds_an_index_that_verifies(catalogue, tmp_path):
    source_url = catalogue.config["SQLALCHEMY_DATABASE_URI"]
    with new_database(tmp_path, "restored") as fresh_url:
        if source_url.startswith("sqlite"):
            sqlite_backup_and_restore(source_url, fresh_url, tmp_path)
        else:
            postgres_backup_and_restore(source_url, fresh_url, tmp_path)
        engine = sa.create_engine(fresh_url)
        try:
            assert counts(engine) == counts(db.engine) == (PUBLISHED + 1, 1)
            documents, _ = sync.rebuild(engine, tmp_path / "restored-index", procs=1)
            differences = sync.verify(engine, tmp_path / "restored-index")
        finally:
            engine.dispose()
    assert documents == PUBLISHED
    assert not differences
