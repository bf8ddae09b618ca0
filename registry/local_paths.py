"""Which URLs a link or redirect may follow: a path on this site, nothing else.

A value from the request (`next`, `terug`) is followed only when it is a path of this
site: not another site, a scheme, a protocol-relative //host or a backslash that some
browsers read as one, and not something urlsplit cannot read (it raises ValueError on
"//[" and on some Unicode that normalises to URL syntax), and not a value holding a
control character: a line break cannot stand in a Location header (a 500, and after a
sign-in the user met an error page though signed in).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_PATH_CHARS = 2000
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def local_path(value: str | None) -> str | None:
    """`value` when it is a path on this site, else None."""
    if not value or len(value) > MAX_PATH_CHARS or "\\" in value or _CONTROL.search(value):
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return None if parts.scheme or parts.netloc else value
