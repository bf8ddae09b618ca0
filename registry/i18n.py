"""Locale choice: Dutch by default, English as second locale, switchable on every page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from babel import Locale, UnknownLocaleError
from flask import (
    Blueprint,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale

from registry.local_paths import local_path

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The locale of this request: ?lang=, then the session, then Dutch."""
    if not has_request_context():
        # CLI commands and services called outside a request speak the default locale.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    requested = request.args.get("lang")
    if requested in languages:
        return requested
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.before_app_request
def _forget_cached_locale() -> None:
    # Flask-Babel caches the locale on `g`; when requests share an app context (tests push
    # one around many requests) the first request's locale would stick to later ones.
    g.pop("_flask_babel", None)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a link lead users to another site.
    return _without_lang(local_path(target)) or url_for("pages.home")


def _without_lang(path: str | None) -> str | None:
    """The path without a ?lang= (which outranks the session, so a page opened with
    ?lang=en would stay English after choosing Dutch)."""
    if not path or "?" not in path:
        return path
    base, _mark, query = path.partition("?")
    kept = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True)
            if key != "lang"]
    return f"{base}?{urlencode(kept)}" if kept else base


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


def N_(message: str) -> str:  # noqa: N802 (the name pybabel looks for)
    """Mark a message for translation where it is stored or configured (notices, the
    sign-in prompt); it is translated where it is shown, in the reader's locale."""
    return message


def language_name(code: str | None) -> str:
    """'nl' as 'Nederlands' (or 'Dutch' in English); the code itself when Babel lacks it."""
    if not code:
        return ""
    try:
        name = Locale.parse(code).get_display_name(str(get_locale()))
    except (ValueError, UnknownLocaleError):
        return code
    return name or code
