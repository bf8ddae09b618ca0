"""GET /healthz, /readyz and /metrics: for load balancers and Prometheus, not people.

Public (metrics: local or with a token), JSON or Prometheus text, never localized, and
no session: none of them sets a cookie.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify

from registry.ops import health, metrics

bp = Blueprint("ops", __name__)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process is alive (touches nothing else)."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz():
    """Every readiness check; 503 when any fails."""
    ready, checks = health.readiness()
    response = jsonify(status="ok" if ready else "fail", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)


@bp.get("/metrics")
def metrics_view():
    """Prometheus metrics; 404 unless local or with the bearer token."""
    if not metrics.may_scrape():
        abort(404)
    lag = health.index_lag_seconds(Path(current_app.config["INDEX_DIR"]))
    return _no_store(metrics.exposition(lag))
