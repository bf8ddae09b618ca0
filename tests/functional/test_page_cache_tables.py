"""A kept intervention page holds while no table it reads changes: only writes to
KEPT_PAGE_TABLES move the content generation, so the kept part of the page must read no
other table (registry/content_generation.py)."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from registry.content_generation import KEPT_PAGE_TABLES
from registry.demo.loader import load_demo
from registry.extensions import db
from registry.models import Intervention
from registry.views.interventions import _intervention_record


def _tables_read(statements: list[str]) -> set[str]:
    names = db.metadata.tables
    return {name for name in names for statement in statements
            if re.search(rf'\b"?{name}"?\b', statement)}


def test_kept_intervention_pages_read_only_tables_that_move_the_generation(app, db_session):
    load_demo()
    db_session.flush()
    slugs = db_session.scalars(select(Intervention.slug).where(
        Intervention.published_version_id.is_not(None))).all()
    seen: list[str] = []

    def note(connection, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with app.test_request_context("/"):
            for slug in slugs:
                db_session.expunge_all()  # each page reads its records, as a request does
                _intervention_record(slug, True, True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    read = _tables_read(seen)
    # The demo's pages show all the record's parts (else this test proves little).
    assert {"studies", "findings", "evidence_decisions", "practice_experiences",
            "guide_versions", "vocabulary_terms"} <= read
    assert read - KEPT_PAGE_TABLES == set()
