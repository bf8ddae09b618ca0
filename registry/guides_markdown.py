"""Markdown of the werkwijzers to safe HTML: markdown-it-py (CommonMark, raw HTML off)
and then nh3 (the Ammonia sanitiser) with a short list of tags, attributes and URL
schemes, so neither a script, an iframe, an event handler nor a javascript: link can
pass, whatever the editor typed."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code",
        "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "br"}
MAX_CHARS = 50_000
# Texts whose HTML each process keeps: a guide page rendered its Markdown on every view
# (0.9 s of CPU for a text of MAX_CHARS built to be slow). The HTML is a function of the
# text alone, so a kept one is never stale; at most 64 × (50 KB of text + its HTML).
RENDERED_KEPT = 64


@lru_cache(maxsize=RENDERED_KEPT)
def render_markdown(text: str) -> Markup:
    """The text as sanitised HTML (at most MAX_CHARS of it)."""
    html = _PARSER.render(text[:MAX_CHARS])
    # h1 is the page's own heading: a guide's headings start one level lower.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(html, tags=TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean)  # noqa: S704 (sanitised just above)
