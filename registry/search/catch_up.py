"""Inline sync's catch-up: in inline mode (SEARCH_SYNC=inline) each commit applies its
own search changes right after it. When that fails (another writer holds the index lock
too long, the process is killed after its commit) the changes wait in the change log,
and only the next commit that records changes of its own would apply them: on a quiet
registry that may be days, with /readyz failing on the index's lag all that time.

So each process of an inline app also runs a thread that applies whatever waits every
SEARCH_CATCH_UP_SECONDS (0: never, as in tests). Several processes and hosts take turns
through the index's writer lock; applying nothing costs one query per kind. Worker mode
needs none of this: its sync worker follows the change log.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta

from flask import Flask

from registry.search.kinds import KINDS
from registry.search.replicas import ReplicaUnknown
from search_index.storage import IndexUnavailable, LockTimeout

log = logging.getLogger(__name__)


def apply_waiting(app: Flask, lock_timeout: float) -> int:
    """Apply every change this host's indexes have not applied; returns the rows applied.
    A kind whose index cannot be written now is left for the next time (logged)."""
    from registry.extensions import db
    from registry.search.sync import sync_pending

    applied = 0
    retention = timedelta(hours=app.config["SEARCH_CHANGE_RETENTION_HOURS"])
    for kind in KINDS:
        try:
            applied += sync_pending(db.engine, kind.root(app.config["INDEX_DIR"]),
                                    lock_timeout, retention, kind=kind)
        except (IndexUnavailable, LockTimeout, ReplicaUnknown) as error:
            log.warning("%s search index not updated; the changes wait in the log: %s",
                        kind.name, error)
    return applied


class CatchUp:
    """The catch-up thread of one process (started on its first request, so a forked
    gunicorn worker starts its own)."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._interval = app.config["SEARCH_CATCH_UP_SECONDS"]
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def ensure_started(self) -> None:
        if self._interval <= 0 or self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="search-catch-up", daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                with self._app.app_context():
                    applied = apply_waiting(self._app, self._app.config["SEARCH_LOCK_TIMEOUT"])
                if applied:
                    log.info("search catch-up applied %s waiting change(s)", applied)
            except Exception:  # the database may be away: try again next time
                log.exception("search catch-up failed; trying again later")

    def stop(self) -> None:
        self._stop.set()


def init_catch_up(app: Flask, mode: str) -> None:
    """In inline mode (`mode`, registry.search.changes.sync_mode), every request makes
    sure its process runs the catch-up thread."""
    app.config.setdefault("SEARCH_CATCH_UP_SECONDS", 30.0)
    if mode != "inline" or app.config["SEARCH_CATCH_UP_SECONDS"] <= 0:
        return
    catch_up = CatchUp(app)
    app.extensions["search_catch_up"] = catch_up
    app.before_request(catch_up.ensure_started)
