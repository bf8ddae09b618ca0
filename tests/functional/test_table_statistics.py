"""A commit that filled a table analyses it on PostgreSQL (registry/table_statistics.py):
the planner's statistics are fresh straight after a bulk load, whatever autovacuum does."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, insert, text

from registry import table_statistics
from registry.bulk_insert import insert_rows
from registry.extensions import db, on_postgresql
from registry.models import SearchChange
from registry.unit_of_work import commit

ROWS = table_statistics.ANALYZE_MIN_ROWS


@pytest.fixture
def analysed(db_session):
    """The tables named by every ANALYZE the app's engine sends."""
    seen: list[str] = []

    def before(conn, cursor, statement, params, context, executemany):
        if statement.startswith("ANALYZE"):
            seen.append(statement.removeprefix("ANALYZE ").replace('"', ""))

    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


def _changes(count: int) -> list[dict]:
    return [{"entity_type": "intervention", "entity_id": n} for n in range(count)]


def test_many_inserted_rows_are_analysed_after_the_commit(analysed):
    db.session.execute(insert(SearchChange), _changes(ROWS))
    commit()
    assert analysed == (["search_changes"] if on_postgresql() else [])


def test_rows_added_as_objects_count_too(analysed):
    db.session.add_all(SearchChange(entity_type="study", entity_id=n) for n in range(ROWS))
    commit()
    assert analysed == (["search_changes"] if on_postgresql() else [])


def test_rows_copied_by_the_bulk_insert_count_too(analysed):
    insert_rows(SearchChange.__table__, _changes(ROWS))
    commit()
    assert analysed == (["search_changes"] if on_postgresql() else [])


def test_a_few_rows_are_left_to_autovacuum(analysed):
    db.session.execute(insert(SearchChange), _changes(ROWS - 1))
    commit()
    assert analysed == []


def test_rows_rolled_back_are_not_counted(analysed):
    db.session.execute(insert(SearchChange), _changes(ROWS))
    db.session.rollback()
    db.session.execute(insert(SearchChange), _changes(10))
    commit()
    assert analysed == []


def test_a_table_locked_elsewhere_is_left_to_autovacuum_and_the_commit_stands(
        analysed, monkeypatch, caplog):
    if not on_postgresql():
        pytest.skip("ANALYZE is PostgreSQL's")
    monkeypatch.setattr(table_statistics, "LOCK_TIMEOUT_MS", 100)
    with db.engine.connect() as other:
        other.execute(text("LOCK TABLE search_changes IN SHARE UPDATE EXCLUSIVE MODE"))
        db.session.execute(insert(SearchChange), _changes(ROWS))
        with caplog.at_level(logging.WARNING, logger="registry.table_statistics"):
            commit()
        other.rollback()
    assert analysed == ["search_changes"]
    assert "statistics not refreshed" in caplog.text
    assert db.session.query(SearchChange).count() >= ROWS
