"""flask demo generate on a fresh database of its own: vocabularies come first, bulk
mode writes the studies asked for, and PostgreSQL's sequences are moved past the
explicit ids, so records made afterwards through the ORM get fresh ids."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Intervention, InterventionStudy, Study, StudyAuthor
from tests.conftest import app_on_own_database


@pytest.fixture
def fresh_app(db_session, own_database_url, tmp_path):
    # No vocabularies: the generator must load them itself on a fresh database.
    with app_on_own_database(own_database_url, tmp_path, vocabularies=False) as app:
        yield app


@pytest.fixture
def generated(fresh_app):
    result = fresh_app.test_cli_runner().invoke(
        args=["demo", "generate", "--interventions", "30", "--studies", "45", "--bulk"]
    )
    assert result.exit_code == 0, result.output
    return fresh_app


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_generate_on_a_fresh_database_adds_what_was_asked(generated):
    assert (_count(Intervention), _count(Study)) == (30, 45)


def test_bulk_studies_have_authors_links_and_dedup_keys(generated):
    keyless = db.session.scalar(select(func.count()).where(Study.title_key.is_(None)))
    assert (_count(StudyAuthor), keyless) == (45, 0)
    assert _count(InterventionStudy) >= 45


def test_records_made_afterwards_get_fresh_ids(generated):
    db.session.add(Intervention(slug="na-de-generator"))
    db.session.add(Study(title="Na de generator"))
    db.session.add(StudyAuthor(study=Study(title="Ook na"), position=1, family_name="Smit"))
    db.session.commit()
    assert _count(Intervention) == 31
