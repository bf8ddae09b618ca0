"""The content generation moves on with every commit that wrote what kept pages show.

Kept pages (registry/page_cache.py) are valid for one generation. The counter is a row
in the database, moved by the writing transaction itself just before its COMMIT: the new
content and the new number become visible together, to every host at once, and a
transaction that dies (an error, kill -9) moves nothing. The row is locked only from
that last UPDATE to the COMMIT, so a long import does not hold up other writers.

Which transactions wrote is watched on the app's engine, not declared by each service:
an INSERT, UPDATE or DELETE the engine sends to one of KEPT_PAGE_TABLES marks its
connection, and so does any other statement that is not a read (DDL, a text()
statement: its tables are not known). Writes elsewhere (a panel's assessments, notices,
counters) keep the pages: while a panel works, every save would otherwise empty every
host's kept pages. Rows written past the engine (COPY, registry/bulk_insert.py) are
marked by note_content_write. Alembic's upgrade moves the generation once at its end
(migrations/env.py), since a data migration can change what pages show.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from flask import Flask
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.orm import Session

from registry.extensions import db
from registry.read_requests import is_reading

# Every table the kept part of an intervention page reads (tests/functional/
# test_page_cache_tables.py renders the demo's pages and holds them to this list: a page
# that comes to read another table fails it until the table is added here).
KEPT_PAGE_TABLES = frozenset({
    "agreed_appraisals", "domain_ratings", "evidence_decisions", "external_ratings",
    "findings", "guide_versions", "guides", "intervention_studies",
    "intervention_version_providers", "intervention_version_tags", "intervention_versions",
    "interventions", "organisations", "outcome_ratings", "practice_experiences", "studies",
    "study_authors", "vocabulary_terms",
})
# Statements that are not reads but change no rows (statistics, SQLite's settings).
NOT_WRITING = frozenset({"ANALYZE", "PRAGMA", "VACUUM", "COMMIT"})
WROTE = "content_written"
OFF = "content_generation_off"  # set on a connection that must not move it (Alembic's)
log = logging.getLogger(__name__)
BUMP = "UPDATE content_generation SET generation = generation + 1 WHERE id = 1"


def init_content_generation(app: Flask) -> None:
    """Watch the app's engine for transactions that write shown content."""
    with app.app_context():
        engine = db.engine
    if event.contains(engine, "before_cursor_execute", _note_statement):
        return
    event.listen(engine, "before_cursor_execute", _note_statement)
    event.listen(engine, "commit", _move_on_if_written)
    event.listen(engine, "rollback", _forget)


def current_generation(session: Session) -> int | None:
    """The committed generation (None: the row is missing; no page is kept then)."""
    return session.execute(
        text("SELECT generation FROM content_generation WHERE id = 1")).scalar()


def has_counter(connection: Connection) -> bool:
    """Whether the database has the counter (it is upgraded to 0034 or later)."""
    return inspect(connection).has_table("content_generation")


def note_content_write(connection: Connection) -> None:
    """Mark the connection's transaction as writing shown content (rows sent past the
    engine's statements, such as COPY)."""
    connection.info[WROTE] = True


def writes_shown_content(statement: str, context) -> bool:
    """Whether a statement the engine sends may change what a kept page shows."""
    if is_reading(statement):
        return False
    compiled = getattr(context, "compiled", None)
    table = getattr(getattr(compiled, "statement", None), "table", None)
    if table is not None and (context.isinsert or context.isupdate or context.isdelete):
        return getattr(table, "name", None) in KEPT_PAGE_TABLES
    words = statement.lstrip(" \t\r\n(").split(None, 1)
    return not words or words[0].upper() not in NOT_WRITING


@contextmanager
def paused(connection: Connection) -> Iterator[None]:
    """Commits on this connection do not move the generation meanwhile (Alembic's)."""
    connection.info[OFF] = True
    try:
        yield
    finally:
        # The flag lives with the pooled driver connection: it must not outlive the upgrade.
        connection.info.pop(OFF, None)


def move_on_after_upgrade(connection: Connection) -> None:
    """Move the generation once, where the upgrade left a counter (also after a failed
    revision: the revisions before it committed, data fixes included)."""
    if connection.in_transaction():
        connection.rollback()  # every revision's own transaction has ended by now
    if not has_counter(connection):
        connection.rollback()
        return
    _bump(connection)
    connection.commit()


def _note_statement(connection, cursor, statement, parameters, context, executemany) -> None:
    if not connection.info.get(WROTE) and writes_shown_content(statement, context):
        connection.info[WROTE] = True


def _move_on_if_written(connection: Connection) -> None:
    if connection.info.pop(WROTE, False) and not connection.info.get(OFF):
        _bump(connection)


def _bump(connection: Connection) -> None:
    # Through the driver's own cursor: a statement sent by the engine would mark the
    # transaction again. A database not yet upgraded to 0034 (new code started before
    # `flask db upgrade`) has no counter: its writes must still commit. On PostgreSQL a
    # failed statement would end the transaction, so the UPDATE runs in a savepoint.
    postgres = connection.dialect.name == "postgresql"
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        if postgres:
            cursor.execute("SAVEPOINT content_generation")
        try:
            cursor.execute(BUMP)
        except Exception as error:
            if not is_missing_table(error):
                raise
            if postgres:
                cursor.execute("ROLLBACK TO SAVEPOINT content_generation")
            log.warning("no content_generation table (database not upgraded): kept pages "
                        "of other processes are not told of this change")
            return
        if postgres:
            cursor.execute("RELEASE SAVEPOINT content_generation")
    finally:
        cursor.close()


def is_missing_table(error: BaseException | None) -> bool:
    """Whether a driver's error says the content generation's table does not exist."""
    return isinstance(error, psycopg.errors.UndefinedTable) or (
        isinstance(error, sqlite3.OperationalError) and "no such table" in str(error))


def _forget(connection: Connection) -> None:
    connection.info.pop(WROTE, None)
