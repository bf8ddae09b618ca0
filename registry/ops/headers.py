"""Security headers on every response.

The policy allows nothing inline (templates carry no <script>, style= or on*=
attributes; keep it so) and no framing. HSTS only in production, where the site is
served over HTTPS: sent over plain HTTP on a laptop it would be ignored at best. A page
shown to a signed-in user is never stored by a browser or a cache ("no-store"): after
signing out on a shared computer, Back must not show someone's work queue. Nor is an
API answer to a token.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def _add_security_headers(response: Response) -> Response:
    # setdefault: a view that needs a different value for one response may set it.
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["ENV_NAME"] == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if _signed_in():
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _signed_in() -> bool:
    # Only when the request already loaded its user: asking would load it (and touch the
    # session) for every static file and API answer.
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated) or g.get("api_user") is not None


def init_headers(app: Flask) -> None:
    """Add the security headers to every response, errors included."""
    app.after_request(_add_security_headers)
