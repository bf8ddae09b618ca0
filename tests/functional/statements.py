"""Counting the SQL statements a piece of work sends: for tests that a page's queries do
not grow with the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from registry.extensions import db


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The statements sent on the app's engine while the block runs."""
    sent: list[str] = []

    def note(connection, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def statements_of_page(client, path: str, fresh: bool = False) -> int:
    """How many statements one GET of `path` sends (it must answer 200). fresh: start
    with nothing loaded, as a request in production does (the tests share a session)."""
    if fresh:
        db.session.expunge_all()
    with statements_sent() as sent:
        assert client.get(path).status_code == 200, path
    return len(sent)
