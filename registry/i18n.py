"""Locale choice: Dutch by default, English as second locale, switchable on every page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The locale of this request: ?lang=, then the session, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    requested = request.args.get("lang")
    if requested in languages:
        return requested
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a link lead users to another site.
    if not target:
        return url_for("pages.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.home")
    return target


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
