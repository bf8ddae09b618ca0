"""Many rows into one table in the session's transaction: the bulk import's studies,
authors, findings, batch items and change-log rows.

SQLite takes them as one executemany. On PostgreSQL they go by COPY, which costs a few
microseconds a row where psycopg's executemany costs tens (bench/README.md, "PostgreSQL
against SQLite"), and new ids come from the table's sequence first instead of an INSERT
... RETURNING, which SQLAlchemy sends as one multi-VALUES statement per 1,000 rows that
psycopg parses anew each time. COPY goes past SQLAlchemy, so the column defaults it
would apply are applied here: Python values and callables per row, a SQL expression
(the transaction id of the change log) once per call, server defaults by the server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.content_generation import KEPT_PAGE_TABLES, note_content_write
from registry.extensions import db, on_postgresql
from registry.table_statistics import note_inserted


def insert_with_ids(table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows into a table with an integer id; their new ids, in the rows' order."""
    if not rows:
        return []
    if not on_postgresql():
        return list(db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    ids = list(db.session.scalars(
        select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
        .select_from(func.generate_series(1, len(rows)))))
    insert_rows(table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def insert_rows(table: Table, rows: list[dict[str, Any]], session: Session | None = None
                ) -> None:
    """Insert rows (dicts of column keys) into table, in the session's transaction."""
    session = session or db.session
    if not rows:
        return
    if not on_postgresql(session):
        session.execute(insert(table), rows)
        return
    session.flush()  # COPY goes past the session: the rows it refers to go first
    columns = _copied_columns(session, table, rows)
    names = ", ".join(f'"{column.name}"' for column, _value in columns)
    raw = session.connection().connection.dbapi_connection
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([value(row) for _column, value in columns])
    except psycopg.IntegrityError as error:
        # As SQLAlchemy raises it for its own statements: a concurrent import that wrote
        # the same DOI first is the 409 of a lost race, not a server error.
        raise IntegrityError(statement, None, error) from error
    note_inserted(session, table.name, len(rows))  # COPY is no statement the session sees
    if table.name in KEPT_PAGE_TABLES:
        note_content_write(session.connection())


def _copied_columns(session: Session, table: Table, rows: list[dict]
                    ) -> list[tuple[Any, Callable]]:
    """(column, value of a row) for each column COPY must fill: those the rows give and
    those with a default SQLAlchemy applies itself (a server default is left out)."""
    dialect = session.get_bind().dialect
    given = {key for row in rows for key in row}
    columns = []
    for column in table.columns:
        process = (column.type.dialect_impl(dialect).bind_processor(dialect)
                   or (lambda value: value))
        default = column.default
        if column.key in given:
            value = _given(column.key, process)
        elif default is None:
            continue
        elif default.is_clause_element:  # evaluated once: a per-transaction value
            value = _constant(process(session.scalar(select(default.arg))))
        elif default.is_callable:
            value = _called(default.arg, process)
        else:
            value = _constant(process(default.arg))
        columns.append((column, value))
    return columns


def _given(key: str, process: Callable) -> Callable:
    return lambda row: process(row.get(key))


def _constant(value: Any) -> Callable:
    return lambda _row: value


def _called(make: Callable, process: Callable) -> Callable:
    return lambda _row: process(make(None))  # SQLAlchemy wraps f() as f(context)
