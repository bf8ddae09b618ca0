"""Kept intervention pages (registry/page_cache.py) and the content generation that
tells when they no longer hold (registry/content_generation.py).

These tests commit for real on a database of their own (the per-test session's commits
are savepoints, which never move the generation); a second app on the same database is
a second host.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from prometheus_client import REGISTRY
from sqlalchemy import event, select, update

from registry.bulk_insert import insert_rows
from registry.content_generation import current_generation
from registry.extensions import db
from registry.models import (
    Intervention,
    Notice,
    PracticeExperience,
    Study,
    StudyAuthor,
    VocabularyTerm,
)
from registry.page_cache import EXTENSION
from registry.search import terms
from registry.usage.store import write_counts
from tests.conftest import make_test_app
from tests.factories import (
    FindingFactory,
    OrganisationFactory,
    StudyFactory,
    link,
    make_intervention,
)
from tests.functional.conftest import app_with_own_sessions
from tests.functional.search_support import connect_args
from tests.unit.procedure.support import login, make_user

KEEP = {"PAGE_CACHE_BYTES": 4 * 1024 * 1024}


@contextmanager
def own_app(url: str, tmp_path, revision: str = "head") -> Iterator[Flask]:
    """An app keeping pages on a database of its own, migrated to revision, with a
    published intervention (slug "jobcoach") linked to one study with a finding. Not
    inside an app context: each request has its own session, as in production."""
    with app_with_own_sessions(url, tmp_path, revision, **KEEP, SQLALCHEMY_ENGINE_OPTIONS={
            "connect_args": connect_args(url)}) as app:
        with app.app_context():
            intervention = make_intervention(slug="jobcoach", title="Jobcoach op de werkvloer",
                                             outcome="effective_first")
            study = StudyFactory(title="Eerste meting van de jobcoach")
            FindingFactory(study=study)
            link(intervention, study)
            db.session.commit()
        yield app


@pytest.fixture
def host(db_session, own_database_url, tmp_path) -> Iterator[Flask]:
    with own_app(own_database_url, tmp_path) as app:
        yield app


@pytest.fixture
def other_host(host, own_database_url, tmp_path) -> Flask:
    """A second app on the same database: another host behind the load balancer."""
    return make_test_app(own_database_url, tmp_path / "other", **KEEP)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(connection, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def page(app: Flask, path: str = "/interventies/jobcoach", client=None) -> str:
    response = (client or app.test_client()).get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def generation(app: Flask) -> int:
    with app.app_context():
        return current_generation(db.session)


def commit_in(app: Flask, change) -> None:
    with app.app_context():
        change()
        db.session.commit()


def rename_study(title: str):
    def change():
        db.session.scalars(select(Study)).one().title = title
    return change


def kept_pages_counted(result: str) -> float:
    return REGISTRY.get_sample_value("registry_kept_pages_total", {"result": result}) or 0


def test_a_kept_page_is_served_without_reading_its_records(host):
    hits, misses = kept_pages_counted("hit"), kept_pages_counted("miss")
    first = page(host)
    with statements(host) as seen:
        second = page(host)
    assert second == first
    assert not [s for s in seen if "studies" in s or "findings" in s]
    assert (kept_pages_counted("hit") - hits, kept_pages_counted("miss") - misses) == (1, 1)


def test_a_page_kept_on_one_host_shows_an_edit_committed_on_another(host, other_host):
    assert "Eerste meting van de jobcoach" in page(host)
    commit_in(other_host, rename_study("Herziene meting van de jobcoach"))
    shown = page(host)
    assert "Herziene meting van de jobcoach" in shown
    assert "Eerste meting" not in shown


def test_an_update_statement_moves_the_generation(host):
    page(host)
    before = generation(host)
    commit_in(host, lambda: db.session.execute(
        update(Study).values(title="Meting na een bulkwijziging")))
    assert generation(host) == before + 1
    assert "Meting na een bulkwijziging" in page(host)


def test_rows_written_by_copy_move_the_generation(host):
    before = generation(host)

    def add_author():
        study_id = db.session.scalars(select(Study.id)).one()
        insert_rows(StudyAuthor.__table__, [
            {"study_id": study_id, "position": 3, "family_name": "Aydın"}])
    commit_in(host, add_author)
    assert generation(host) == before + 1


def test_a_rolled_back_change_moves_nothing(host):
    page(host)
    before = generation(host)
    with host.app_context():
        rename_study("Nooit vastgelegd")()
        db.session.flush()
        db.session.rollback()
    assert generation(host) == before
    assert "Nooit vastgelegd" not in page(host)


def test_writes_no_kept_page_shows_keep_the_pages(host):
    # A panel at work, a sign-in, the usage counters: none of it is on the page.
    page(host)
    before = generation(host)

    def notify():
        reviewer = make_user("reviewer")
        db.session.add(Notice(user_id=reviewer.id, kind="assigned", message="Nieuwe ronde"))
    commit_in(host, notify)
    with host.app_context():
        write_counts(db.engine, Counter({(date.today().replace(day=1), "search", "", ""): 3}))
    assert generation(host) == before
    assert len(host.extensions[EXTENSION]) == 1


def test_a_withdrawn_intervention_is_gone_at_once(host, other_host):
    page(host)

    def withdraw():
        db.session.scalars(select(Intervention)).one().published_version = None
    commit_in(other_host, withdraw)
    assert host.test_client().get("/interventies/jobcoach").status_code == 404


def test_what_a_visitor_may_do_is_kept_apart(host):
    manage = "Oordelen van andere databanken beheren"
    assert manage not in page(host)
    client = host.test_client()
    with host.app_context():
        secretary = make_user("secretary")
        db.session.commit()
        login(client, secretary)
    assert manage in page(host, client=client)
    assert manage not in page(host)


def test_each_language_is_kept_apart(host):
    dutch, english = page(host), page(host, "/interventies/jobcoach?lang=en")
    assert "Effect per uitkomstdomein" in dutch
    assert "Effect per outcome domain" in english
    assert "Effect per uitkomstdomein" in page(host)


def test_the_link_back_to_the_results_is_each_request_s_own(host):
    back = page(host, "/interventies/jobcoach?terug=/zoeken?q%3Djobcoach")
    plain = page(host)
    assert "Terug naar de resultaten" in back and "/zoeken?q=jobcoach" in back
    assert "Terug naar de resultaten" not in plain


def test_a_database_before_the_counter_still_commits_and_serves_pages(
        db_session, own_database_url, tmp_path):
    # New code started before `flask db upgrade`: its commits (the fixture's) and pages
    # go on, without kept pages.
    with own_app(own_database_url, tmp_path, revision="0033_notice_about") as app:
        shown = page(app)
        commit_in(app, rename_study("Herziene meting van de jobcoach"))
        assert "Herziene meting van de jobcoach" in page(app)
        assert "Eerste meting van de jobcoach" in shown
        assert len(app.extensions[EXTENSION]) == 0


def test_an_upgrade_moves_the_generation(host):
    before = generation(host)
    with host.app_context():
        upgrade()
    assert generation(host) == before + 1


def test_writers_committing_at_once_each_move_the_generation(host):
    before = generation(host)
    start = threading.Barrier(4)

    def write(number: int) -> None:
        with host.app_context():
            start.wait(timeout=30)  # SQLite lets one writer in at a time; PostgreSQL all
            OrganisationFactory(name=f"Gemeente {number}")
            db.session.commit()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert generation(host) == before + 4


def test_a_province_renamed_by_a_vocabulary_load_reaches_the_kept_page(host, monkeypatch):
    monkeypatch.setitem(host.config, "TERM_LABELS_SECONDS", 60)  # labels kept, as live
    monkeypatch.setattr(terms, "_kept_labels", {})

    def share_experience():
        db.session.add(PracticeExperience(
            intervention_id=db.session.scalars(select(Intervention.id)).one(),
            municipality_id=db.session.scalars(select(VocabularyTerm.id).filter_by(
                vocabulary="municipality", code="GM1680")).one(),
            started_on=date(2024, 1, 1), target_group="Jongeren", observations="Goed",
            contact_name="A. de Vries", contact_email="a@example.org", status="published"))
    commit_in(host, share_experience)
    assert "Aa en Hunze (Drenthe)" in page(host)

    def rename_province():  # as `flask vocabularies load` of a new release does
        db.session.scalars(select(VocabularyTerm).filter_by(
            vocabulary="region", code="drenthe")).one().label_nl = "Provincie Drenthe"
    commit_in(host, rename_province)
    assert "Aa en Hunze (Provincie Drenthe)" in page(host)


FIX_REVISION = '''"""A data fix, then a revision that fails.

Revision ID: 9901_data_fix
Revises: 0034_content_generation
"""
from alembic import op

revision = "9901_data_fix"
down_revision = "0034_content_generation"


def upgrade():
    op.execute("UPDATE studies SET title = 'Titel na de datacorrectie'")
'''
FAILING_REVISION = '''"""Fails.

Revision ID: 9902_fails
Revises: 9901_data_fix
"""
revision = "9902_fails"
down_revision = "9901_data_fix"


def upgrade():
    raise RuntimeError("this revision fails")
'''


def test_a_failed_upgrade_still_moves_the_generation_past_the_revisions_before_it(
        host, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(Path(__file__).parents[2] / "migrations", folder)
    (folder / "versions" / "9901_data_fix.py").write_text(FIX_REVISION)
    (folder / "versions" / "9902_fails.py").write_text(FAILING_REVISION)
    page(host)
    with host.app_context(), pytest.raises(SystemExit):  # Flask-Migrate exits on errors
        upgrade(directory=str(folder))
    assert "Titel na de datacorrectie" in page(host)


def test_a_downgrade_below_the_counter_under_a_running_process_serves_pages(host):
    page(host)
    with host.app_context():
        downgrade(revision="0033_notice_about")
    assert "Eerste meting van de jobcoach" in page(host)
    assert len(host.extensions[EXTENSION]) == 0


def add_guide(slug: str, title: str, number: int = 1):
    def change():
        from registry.models import Guide, GuideVersion

        guide = db.session.scalar(select(Guide).where(Guide.slug == slug))
        if guide is None:
            guide = Guide(slug=slug)
            db.session.add(guide)
        guide.versions.append(GuideVersion(number=number, title=title, phase="guidance",
                                           body="Tekst", facets=["barrier:debt"]))
    return change


def test_the_guides_beside_results_are_read_once_per_generation(host):
    commit_in(host, add_guide("schulden", "Schulden eerst"))
    assert "Schulden eerst" in page(host, "/werkwijzers")
    with statements(host) as seen:
        shown = page(host, "/werkwijzers")
    assert "Schulden eerst" in shown
    assert not [s for s in seen if "guide_versions" in s]


def test_a_guide_revised_on_another_host_replaces_the_kept_one(host, other_host):
    from registry.services.guides import guides_for

    commit_in(host, add_guide("schulden", "Schulden eerst"))
    assert "Schulden eerst" in page(host, "/werkwijzers")
    commit_in(other_host, add_guide("schulden", "Schulden eerst, herzien", number=2))
    shown = page(host, "/werkwijzers")
    assert "Schulden eerst, herzien" in shown
    assert "Schulden eerst<" not in shown
    with host.test_request_context():
        assert [g.current.title for g in guides_for([("barrier", "debt")])] == [
            "Schulden eerst, herzien"]
