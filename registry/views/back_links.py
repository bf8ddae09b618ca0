"""'Terug naar de resultaten': the result pages pass their own URL along as `terug`.

Only a path on this site's search pages is followed back; anything else (another site,
a scheme, a protocol-relative //host) is dropped, so the link cannot send anyone away.
"""

from __future__ import annotations

from urllib.parse import urlsplit

RESULT_PAGES = ("/zoeken", "/vergelijken")


def back_to_results(value: str | None) -> str | None:
    """`value` when it is a search or comparison page of this site, else None."""
    if not value or len(value) > 2000 or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(RESULT_PAGES):
        return None
    return value
