"""Readiness: can this process answer requests as it should right now?

Checks, each with its own status: the database answers, its schema is at the
migrations' head, the search indexes (interventions, studies) are there, and neither is
too far behind the database. Liveness (/healthz) checks nothing: a live process answers at all.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import column, inspect, select, table, text

from registry.extensions import db
from registry.search import replicas
from registry.search.kinds import INTERVENTIONS, STUDIES, DocumentKind
from search_index import storage

log = logging.getLogger(__name__)
OK, FAIL = "ok", "fail"
VERSION_TABLE = "alembic_version"  # alembic's default, which migrations/env.py keeps
_VERSIONS = table(VERSION_TABLE, column("version_num"))


@functools.lru_cache(maxsize=4)
def code_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migration scripts (read once per process)."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _failed(check: str, error: Exception) -> dict:
    # Details go to the log only: /readyz is public.
    log.warning("readiness check %s failed: %s", check, error)
    db.session.rollback()
    return {"status": FAIL, "reason": type(error).__name__}


def check_database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure to ask means: not reachable
        return _failed("database", error)
    return {"status": OK}


def check_migrations() -> dict:
    expected = code_heads(current_app.extensions["migrate"].directory)
    try:
        current = frozenset()
        if inspect(db.session.connection()).has_table(VERSION_TABLE):
            # Read directly: alembic's MigrationContext logs two INFO lines per call.
            current = frozenset(db.session.scalars(select(_VERSIONS.c.version_num)))
    except Exception as error:
        return _failed("migrations", error)
    status = OK if current == expected else FAIL
    return {"status": status, "database": sorted(current), "code": sorted(expected)}


def check_search_index(root: Path, kind: DocumentKind = INTERVENTIONS) -> dict:
    try:
        storage.open_current(root, kind.schema()).close()
    except storage.IndexUnavailable as error:
        log.warning("readiness check search_index failed: %s", error)
        return {"status": FAIL, "reason": "unavailable"}
    return {"status": OK}


def index_lag_seconds(root: Path) -> float | None:
    """Seconds this folder's index is behind the change log; None when it is not known
    (no index, not registered, or the database cannot be asked)."""
    # replica_id would create the id file; a health check only looks.
    if not (root / replicas.REPLICA_FILE).is_file():
        return None
    try:
        return replicas.lag_seconds(db.session, replicas.replica_id(root))
    except replicas.ReplicaUnknown:
        return None
    except Exception as error:
        _failed("search_lag", error)
        return None


def check_search_lag(root: Path, max_seconds: float) -> dict:
    lag = index_lag_seconds(root)
    if lag is None:
        return {"status": FAIL, "reason": "unknown", "max_seconds": max_seconds}
    status = OK if lag <= max_seconds else FAIL
    return {"status": status, "seconds": round(lag, 1), "max_seconds": max_seconds}


def readiness() -> tuple[bool, dict]:
    """(ready?, every check's result) for the current app."""
    root = Path(current_app.config["INDEX_DIR"])
    max_lag = current_app.config["READY_MAX_LAG_SECONDS"]
    checks = {"database": check_database()}
    if checks["database"]["status"] == OK:
        checks["migrations"] = check_migrations()
    else:
        checks["migrations"] = {"status": FAIL, "reason": "database unreachable"}
    studies = STUDIES.root(root)
    checks["search_index"] = check_search_index(root)
    checks["study_index"] = check_search_index(studies, STUDIES)
    for name, folder in (("search_lag", root), ("study_lag", studies)):
        if checks["database"]["status"] == OK:
            checks[name] = check_search_lag(folder, max_lag)
        else:
            checks[name] = {"status": FAIL, "reason": "database unreachable"}
    ready = all(check["status"] == OK for check in checks.values())
    return ready, checks
