"""Planner statistics after bulk writes: ANALYZE, on PostgreSQL, the tables a unit of
work filled.

PostgreSQL chooses a query's plan by its statistics of each table, which ANALYZE
gathers and autovacuum refreshes only on its next round (or never, where it is off).
Straight after a bulk load the planner takes a table of 150,000 findings for the few
rows it last saw: on the load benchmark's catalogue the intervention page's findings
query ran as a parallel plan in 12.4 ms (mean; p95 26.7 ms) where 0.85 ms does once the
table is analysed (bench/README.md, "Statistics after bulk loads"). So a commit that
added many rows to a table analyses that table right away, as PostgreSQL's manual
advises after populating a database, with autovacuum's own threshold: more than a tenth
of the rows the table had at its last analysis, and at least ANALYZE_MIN_ROWS.

Rows are counted per table as the session writes them: ORM flushes of new objects,
`session.execute(insert(...), rows)` and registry.bulk_insert's COPY. ANALYZE runs on a
connection of its own after the commit (the data is already safe); it never fails the
request: a lock it cannot get within LOCK_TIMEOUT_MS, or any database error, is logged
and left to autovacuum.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping

from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session

log = logging.getLogger(__name__)

ANALYZE_MIN_ROWS = 1000
ANALYZE_SHARE = 0.1  # of the rows at the last analysis: autovacuum's default scale factor
LOCK_TIMEOUT_MS = 2000  # an ANALYZE or VACUUM already on the table: leave it to that one
_INSERTED = "table_statistics.inserted"


def note_inserted(session: Session, table: str, rows: int) -> None:
    """Count rows written to a table outside the session's own statements (COPY)."""
    session.info.setdefault(_INSERTED, Counter())[table] += rows


def tables_to_analyze(inserted: Mapping[str, int], rows_at_analysis: Mapping[str, float]
                      ) -> list[str]:
    """The tables whose new rows pass the threshold, in name order; rows_at_analysis:
    PostgreSQL's reltuples (negative or missing when never analysed)."""
    chosen = []
    for table, count in sorted(inserted.items()):
        known = rows_at_analysis.get(table, -1.0)
        if count >= ANALYZE_MIN_ROWS and (known < 0 or count > ANALYZE_SHARE * known):
            chosen.append(table)
    return chosen


def _count_statement(state: ORMExecuteState) -> None:
    if state.is_insert:
        params = state.parameters
        rows = len(params) if isinstance(params, list) else 1
        note_inserted(state.session, state.statement.table.name, rows)


def _count_flush(session: Session, _flush_context) -> None:
    if session.new:
        counted = Counter(getattr(type(obj), "__tablename__", None) for obj in session.new)
        counted.pop(None, None)
        session.info.setdefault(_INSERTED, Counter()).update(counted)


def _forget(session: Session) -> None:
    session.info.pop(_INSERTED, None)


def analyze_after_commit(session: Session) -> None:
    """after_commit: ANALYZE the tables this unit of work filled (PostgreSQL only)."""
    inserted = session.info.pop(_INSERTED, None)
    if not inserted or max(inserted.values()) < ANALYZE_MIN_ROWS:
        return
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            known = dict(connection.execute(
                text("SELECT c.relname, c.reltuples FROM pg_class c WHERE c.oid IN "
                     "(SELECT to_regclass(n) FROM unnest(CAST(:names AS text[])) AS n)"),
                {"names": list(inserted)}).all())
            tables = [t for t in tables_to_analyze(inserted, known) if t in known]
            if tables:
                connection.execute(text(f"SET lock_timeout = {LOCK_TIMEOUT_MS}"))
                quote = engine.dialect.identifier_preparer.quote
                connection.execute(text("ANALYZE " + ", ".join(quote(t) for t in tables)))
                log.info("statistics refreshed after a bulk write: %s", ", ".join(tables))
    except DBAPIError as error:
        log.warning("statistics not refreshed after a bulk write (autovacuum will): %s",
                    error.orig or error)


def init_table_statistics() -> None:
    """Count the app's sessions' inserted rows and analyse after commit (once a process)."""
    if not event.contains(AppSession, "after_commit", analyze_after_commit):
        event.listen(AppSession, "do_orm_execute", _count_statement)
        event.listen(AppSession, "after_flush", _count_flush)
        event.listen(AppSession, "after_commit", analyze_after_commit)
        event.listen(AppSession, "after_rollback", _forget)
