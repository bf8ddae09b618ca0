"""Links that carry the page's own query string (feeds, exports, a saved profile)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for


def url_with_query(endpoint: str, **values) -> str:
    """url_for(endpoint, **values) followed by this request's query string. The
    parameters are appended as they came, never passed to url_for: there a parameter
    named like one of its own (endpoint, _external) or like a part of the route (kind)
    raised a TypeError, a 500 for any visitor who added it to the address."""
    base = url_for(endpoint, **values)
    query = urlencode(list(request.args.items(multi=True)))
    return f"{base}?{query}" if query else base
