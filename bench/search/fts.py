"""The baseline: SQLite FTS5 over the same records, facet counts by GROUP BY."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from registry.search.documents import FACETS, iter_public_documents
from search_index.analysis import SECTION_BREAK


def build(database_url: str, path: str) -> None:
    """Copy every public document into an FTS5 table plus a (doc, facet, value) table."""
    con = sqlite3.connect(path)
    con.executescript(
        "DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS facets;"
        "CREATE VIRTUAL TABLE docs USING fts5(title, summary, body,"
        " tokenize='unicode61 remove_diacritics 2');"
        "CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT);"
    )
    engine = create_engine(database_url)
    with Session(engine) as session:
        for doc in iter_public_documents(session):
            rowid = int(doc["id"])
            title, summary, rest = doc["text"].split(SECTION_BREAK)
            con.execute("INSERT INTO docs(rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                        (rowid, title, summary, rest))
            con.executemany("INSERT INTO facets VALUES (?, ?, ?)", [
                (rowid, facet, value) for facet in FACETS for value in doc[facet].split()
            ])
    con.execute("CREATE INDEX facet_value ON facets (facet, value, doc)")
    con.execute("CREATE INDEX facet_doc ON facets (doc, facet)")
    con.commit()
    con.close()


def _filter_sql(filters: dict[str, list[str]], skip: str | None = None) -> tuple[str, list]:
    clauses, params = [], []
    for facet, values in filters.items():
        if facet == skip:
            continue
        marks = ", ".join("?" * len(values))
        clauses.append(
            f"doc IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))"  # noqa: S608
        )
        params += [facet, *values]
    return " AND ".join(clauses), params


def search(con: sqlite3.Connection, text: str, filters: dict, counts: bool) -> tuple:
    """Top 20 by bm25 (or by rowid without text) and, if asked, every facet's counts."""
    match = "doc IN (SELECT rowid FROM docs WHERE docs MATCH ?)" if text else ""
    where, params = _filter_sql(filters)
    conditions = " AND ".join(c for c in (match.replace("doc IN", "rowid IN"), where.replace(
        "doc IN", "rowid IN")) if c) or "1"
    top = con.execute(
        f"SELECT rowid FROM docs WHERE {conditions} "  # noqa: S608 (fixed SQL pieces)
        + ("ORDER BY bm25(docs, 3.0, 2.0, 1.0) " if text else "") + "LIMIT 20",
        ([text] if text else []) + params,
    ).fetchall()
    result = {}
    for facet in FACETS if counts else ():
        other, other_params = _filter_sql(filters, skip=facet)
        parts = [c for c in (match, other) if c]
        sql = ("SELECT value, count(*) FROM facets WHERE facet = ? "  # noqa: S608
               + "".join(f"AND {p} " for p in parts) + "GROUP BY value")
        params = [facet] + ([text] if text else []) + other_params
        result[facet] = con.execute(sql, params).fetchall()
    return top, result


def profile(con: sqlite3.Connection, pairs: list[tuple[str, str]]) -> list:
    """Top 20 by number of matching characteristics, then evidence (the same idea in SQL)."""
    cond = " OR ".join("(facet = ? AND value = ?)" for _ in pairs)
    params = [x for pair in pairs for x in pair]
    return con.execute(
        f"SELECT doc, count(*) AS fit FROM facets WHERE {cond} "  # noqa: S608
        "GROUP BY doc ORDER BY fit DESC LIMIT 20", params
    ).fetchall()
