"""Logs: one line per request, a request id on every record, JSON or plain text.

The request line holds only what cannot identify or authenticate anyone: method, path
without its query string, status, duration, route and the signed-in user's id. Never
form fields, headers, cookies, tokens, query strings or e-mail addresses.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request, request_started
from flask.logging import default_handler

HEADER = "X-Request-ID"
_ID_KEY = "registry.request_id"
_STARTED_KEY = "registry.request_started"
# What we accept from a proxy or client as its request id: short, and harmless in a log.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Paths are the client's; a 404 for a megabyte-long path need not be logged whole.
_MAX_PATH = 512
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def logged_path() -> str:
    """The request's path as a log line may hold it: at most _MAX_PATH characters, and
    control characters written as escapes (a decoded %0A would start a forged line in
    the text format)."""
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(),
                        request.path[:_MAX_PATH])
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
FORMATS = ("json", "text")

log = logging.getLogger("registry.request")


# --- request id and timing ----------------------------------------------------------------


def _start(sender: Flask, **extra) -> None:
    # request_started fires before any before_request hook, so even a request refused
    # by one (CSRF, a missing sign-in) gets its id and its timer.
    incoming = request.headers.get(HEADER, "")
    chosen = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    request.environ[_ID_KEY] = chosen
    request.environ[_STARTED_KEY] = time.perf_counter()


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    return request.environ.get(_ID_KEY)


def elapsed_seconds() -> float:
    """Seconds since this request started (0 when it was never timed)."""
    started = request.environ.get(_STARTED_KEY)
    return 0.0 if started is None else time.perf_counter() - started


def route_label() -> str:
    """The URL rule that matched (bounded, unlike raw paths), or "unmatched"."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def signed_in_user_id() -> int | None:
    """The id of the user this request signed in as, without loading anyone.

    flask-login keeps the user it loaded on `g._login_user` (registry.auth relies on the
    same); a request that never asked who is signed in is logged without a user, and
    reading the id from the identity key needs no query even after a commit.
    """
    state = sa.inspect(g.get("_login_user"), raiseerr=False)
    identity = state.identity if state is not None else None
    return identity[0] if identity else None


def _log_request(response: Response) -> Response:
    request_id = current_request_id()
    if request_id:
        response.headers[HEADER] = request_id
    duration_ms = round(elapsed_seconds() * 1000, 1)
    path = logged_path()
    log.info(
        "%s %s %s %sms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "route": route_label(),
            "user_id": signed_in_user_id(),
        },
    )
    return response


def init_request_log(app: Flask) -> None:
    """Give every request an id (X-Request-ID, in and out) and log one line for it."""
    request_started.connect(_start, app)
    app.after_request(_log_request)


# --- formatting ---------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    # Writes to whatever sys.stderr is when a record comes: test runners and servers
    # swap it, and a handler holding the old one would write into a closed file.
    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """Send every record (root logger) to stderr as LOG_FORMAT says: json or text.

    Idempotent: a second app in the same process replaces the handler, never adds one.
    Raises ValueError for an unknown LOG_FORMAT.
    """
    chosen = app.config["LOG_FORMAT"]
    if chosen not in FORMATS:
        raise ValueError(f"REGISTRY_LOG_FORMAT must be one of {FORMATS}, not {chosen!r}")
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "registry_handler", False)]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.registry_handler = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if chosen == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Flask's own handler on app.logger would print the app's records a second time.
    app.logger.removeHandler(default_handler)
