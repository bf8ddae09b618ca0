"""A request that only read ends its transaction with COMMIT on PostgreSQL.

Closing the session at the end of a request sends ROLLBACK, and at every ROLLBACK psycopg
forgets the statements it had prepared on that connection (psycopg/_preparing.py: a
rolled-back transaction may have lost a PREPARE). A GET is never committed
(registry/unit_of_work.py), so no statement was ever prepared: the server parsed and
planned each of a page's queries anew on every request (the intervention page's study
query: 1.5 ms of planning for 0.5 ms of execution). For a transaction that wrote nothing,
COMMIT and ROLLBACK end it the same way, so a reading request that succeeded now commits
and the connection keeps its prepared statements.

"Wrote nothing" is watched, not assumed: any statement other than a read or transaction
control during the request (an INSERT, UPDATE, DELETE, COPY or anything else) and any
pending change in the session keep the ROLLBACK, as does a failed request or a
transaction in error.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, g, has_request_context
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from registry.extensions import db, on_postgresql

# First words of the statements that read or control the transaction.
READING = frozenset({"SELECT", "SHOW", "EXPLAIN", "VALUES", "SET", "BEGIN", "SAVEPOINT",
                     "RELEASE", "ROLLBACK"})
_WROTE, _STATUS = "request_wrote", "request_status"
log = logging.getLogger(__name__)


def init_read_requests(app: Flask) -> None:
    if not event.contains(Engine, "after_cursor_execute", _note_statement):
        event.listen(Engine, "after_cursor_execute", _note_statement)
    app.after_request(_note_status)
    # Request teardowns run before the app context's, where the session is closed.
    app.teardown_request(_end_reading)


def is_reading(statement: str) -> bool:
    words = statement.lstrip(" \t\r\n(").split(None, 1)
    return bool(words) and words[0].upper() in READING


def _note_statement(connection, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context() and not is_reading(statement):
        setattr(g, _WROTE, True)


def _note_status(response):
    setattr(g, _STATUS, response.status_code)
    return response


def _end_reading(error: BaseException | None) -> None:
    session = db.session()
    if (error is not None or g.get(_WROTE) or g.get(_STATUS, 500) >= 400
            or not session.in_transaction() or not on_postgresql(session)):
        return
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        return
    raw = session.connection().connection.dbapi_connection
    if raw is not None and raw.info.transaction_status == TransactionStatus.INTRANS:
        try:
            session.commit()
        except SQLAlchemyError as failure:
            # The answer is ready and nothing was written: a connection the server ended
            # (a restart, pg_terminate_backend) loses the connection, not the answer.
            log.warning("a reading request's COMMIT failed (%s); its answer goes out",
                        type(failure).__name__)
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
