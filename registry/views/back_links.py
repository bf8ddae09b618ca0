"""'Terug naar de resultaten': the result pages pass their own URL along as `terug`.

Only a path on this site's search pages is followed back; anything else (another site,
a scheme, a protocol-relative //host) is dropped, so the link cannot send anyone away.
"""

from __future__ import annotations

from registry.local_paths import local_path

RESULT_PAGES = ("/zoeken", "/vergelijken")


def back_to_results(value: str | None) -> str | None:
    """`value` when it is a search or comparison page of this site, else None."""
    path = local_path(value)
    return path if path and path.startswith(RESULT_PAGES) else None
