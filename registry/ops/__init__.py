"""Operations: request logs, health and readiness, metrics, security headers, proxies.

Everything here is wired by init_ops(app) from create_app. Importing this package does
not import the application, so `registry.ops.metrics.observe_search` can be imported from
anywhere.
"""

from __future__ import annotations

from flask import Flask


def init_ops(app: Flask) -> None:
    """Logging first (so what follows logs in the configured format), then the hooks,
    the proxy settings and the ops blueprint (/healthz, /readyz, /metrics)."""
    from registry.extensions import csrf
    from registry.ops import headers, metrics, proxy, request_log
    from registry.ops.views import bp

    request_log.configure_logging(app)
    proxy.init_proxy(app)
    request_log.init_request_log(app)
    metrics.init_metrics(app)
    headers.init_headers(app)
    app.register_blueprint(bp)
    csrf.exempt(bp)  # read-only, cookie-less endpoints for machines
