"""Prometheus metrics: requests, searches, kept pages, imports, and the index's lag.

Under gunicorn (PROMETHEUS_MULTIPROC_DIR set before the workers start, see
gunicorn.conf.py) every worker writes its samples to files in that folder and a scrape
adds them up; otherwise they live in this process. Labels stay bounded: the route is
the URL rule, never the raw path, and methods outside the usual ones count as "other".

Call observe_search / observe_import (or time a block with search_timer) from the code
that does the work.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from registry.ops.request_log import elapsed_seconds, route_label

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
SEARCH_KINDS = ("text", "profile")

REQUESTS = Counter(
    "registry_http_requests",
    "HTTP requests answered, by URL rule, method and status.",
    ("route", "method", "status"),
)
REQUEST_SECONDS = Histogram(
    "registry_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL rule, method and status.",
    ("route", "method", "status"),
)
SEARCH_SECONDS = Histogram(
    "registry_search_seconds",
    "Time of one search in the index (text or client profile).",
    ("kind",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
KEPT_PAGES = Counter(
    "registry_kept_pages",
    "Intervention pages asked of a process's kept pages: found (hit) or rendered (miss).",
    ("result",),
)
IMPORT_SECONDS = Histogram(
    "registry_import_seconds",
    "Duration of one committed study import.",
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
)
IMPORT_RECORDS = Histogram(
    "registry_import_records",
    "Records in one committed study import.",
    buckets=(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000),
)
IMPORT_BYTES = Histogram(
    "registry_import_bytes",
    "Size of the file of one committed study import.",
    buckets=(1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9),
)


def observe_search(kind: str, seconds: float) -> None:
    """Count one search of this kind ("text" or "profile"). Raises ValueError otherwise."""
    if kind not in SEARCH_KINDS:
        raise ValueError(f"search kind must be one of {SEARCH_KINDS}, not {kind!r}")
    SEARCH_SECONDS.labels(kind=kind).observe(seconds)


@contextmanager
def search_timer(kind: str) -> Iterator[None]:
    """Time the block as one search of this kind; a search that raises is not counted."""
    started = time.perf_counter()
    yield
    observe_search(kind, time.perf_counter() - started)


def observe_kept_page(found: bool) -> None:
    """Count one look-up in the kept pages (registry/page_cache.py)."""
    KEPT_PAGES.labels(result="hit" if found else "miss").inc()


def observe_import(seconds: float, records: int, size_bytes: int) -> None:
    """Count one committed import: its duration, its records and its file's size."""
    IMPORT_SECONDS.observe(seconds)
    IMPORT_RECORDS.observe(records)
    IMPORT_BYTES.observe(size_bytes)


def _observe_request(response: Response) -> Response:
    method = request.method if request.method in METHODS else "other"
    labels = {"route": route_label(), "method": method, "status": str(response.status_code)}
    REQUESTS.labels(**labels).inc()
    REQUEST_SECONDS.labels(**labels).observe(elapsed_seconds())
    return response


def init_metrics(app: Flask) -> None:
    """Count and time every response."""
    app.after_request(_observe_request)


# --- the scrape ---------------------------------------------------------------------------


def may_scrape() -> bool:
    """A direct connection from this machine, or the configured bearer token.

    A request that came through a proxy (it carries X-Forwarded-For or Forwarded) is not
    local even when the proxy runs here: without that rule, a local nginx would make the
    metrics public.
    """
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            return True
    forwarded = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return not forwarded and _is_loopback(request.remote_addr)


def _is_loopback(address: str | None) -> bool:
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return False  # a Unix socket has no address: not provably local
    mapped = getattr(parsed, "ipv4_mapped", None)
    return (mapped or parsed).is_loopback


class _ThisProcess:
    # The default registry, as a collector of a per-scrape registry.
    def collect(self):
        return REGISTRY.collect()


class _IndexLag:
    def __init__(self, lag: float | None):
        self.lag = lag

    def collect(self):
        value = math.inf if self.lag is None else self.lag
        yield GaugeMetricFamily(
            "registry_search_index_lag_seconds",
            "Age of the oldest change this host's index has not applied "
            "(+Inf: the index is not registered or the database cannot be asked).",
            value=value,
        )


def exposition(lag: float | None) -> Response:
    """The metrics in Prometheus' text format; `lag` is the index lag (None: unknown)."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_IndexLag(lag))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
