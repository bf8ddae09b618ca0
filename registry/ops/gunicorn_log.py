"""gunicorn's access log as one JSON object per line (logger_class in gunicorn.conf.py).

The same restraint as the application's request log: the path without its query
string, no client address, no headers but the request id the application returned.
"""

from __future__ import annotations

import json
import os
import traceback
from datetime import UTC, datetime

from gunicorn import glogging


def _response_header(resp, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in resp.headers if key.lower() == wanted), None)


class JsonAccessLogger(glogging.Logger):
    """gunicorn's logger, with access lines written as JSON."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": req.method,
            "path": req.path,
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": _response_header(resp, "X-Request-ID"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            self.error(traceback.format_exc())
