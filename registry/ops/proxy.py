"""Behind a reverse proxy: whose X-Forwarded-* headers to believe, and which Host names.

TRUSTED_PROXIES = n applies werkzeug's ProxyFix for n proxies, so `remote_addr` (the
sign-in throttle counts per address), the scheme and the host of absolute links come
from the proxy's headers. TRUSTED_HOSTS (Flask's own setting) refuses any other Host
header with 400, so a forged Host never reaches a link the API writes.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from registry.errors import error_response, wants_json

UNTRUSTED_HOST = "Deze hostnaam wordt hier niet bediend."


def _untrusted_host(error: SecurityError):
    if wants_json():
        return error_response(400, "untrusted_host", UNTRUSTED_HOST)
    # Plain text: the HTML error page builds its links from the very host just refused.
    return f"400 {UNTRUSTED_HOST}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def init_proxy(app: Flask) -> None:
    """Apply ProxyFix when TRUSTED_PROXIES > 0; warn in production without TRUSTED_HOSTS."""
    count = app.config["TRUSTED_PROXIES"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.register_error_handler(SecurityError, _untrusted_host)
    if app.config["ENV_NAME"] == "production" and not app.config.get("TRUSTED_HOSTS"):
        app.logger.warning(
            "REGISTRY_TRUSTED_HOSTS is not set: any Host header is accepted and echoed "
            "into absolute links; set it to the site's host names."
        )
