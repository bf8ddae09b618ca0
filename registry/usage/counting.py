"""What the pages count (into the process's UsageBuffer; never a database write in the
request). Only values from the vocabularies and the status list are counted, so the
number of cells stays bounded whatever a URL holds; no query text, user or address."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from flask import Flask, current_app

from registry.extensions import db
from registry.usage.buffer import UsageBuffer, month_of
from registry.usage.store import write_counts

log = logging.getLogger(__name__)
METRICS = ("search", "profile_search", "intervention_view", "factsheet_download")
_EXTENSION = "usage"


def init_usage(app: Flask) -> None:
    """Give the app its buffer; the flusher writes through the app's engine."""
    def flush(counts) -> None:
        with app.app_context():
            write_counts(db.engine, counts)

    app.extensions[_EXTENSION] = UsageBuffer(flush, float(app.config["USAGE_FLUSH_SECONDS"]))


def usage_buffer(app: Flask | None = None) -> UsageBuffer:
    return (app or current_app).extensions[_EXTENSION]


def count_search(metric: str, pairs: Iterable[tuple[str, str]],
                 known: dict[str, Iterable[str]]) -> None:
    """One search of this metric, with each (facet, value) it used that `known` holds."""
    month = month_of(date.today())
    keys = [(month, metric, "", "")]
    keys += [(month, metric, facet, value) for facet, value in pairs
             if value in known.get(facet, ())]
    _add(keys)


def count_status(metric: str, status: str) -> None:
    """One view or download of an intervention with this public status."""
    month = month_of(date.today())
    _add([(month, metric, "", ""), (month, metric, "status", status)])


def _add(keys) -> None:
    if not current_app.config.get("USAGE_COUNTING", True):
        return
    try:
        usage_buffer().add(keys)
    except Exception:  # counting must never fail a page
        log.exception("usage not counted")
