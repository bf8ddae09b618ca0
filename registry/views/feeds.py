"""Atom feeds (RFC 4287, written by feedgen): the latest decisions at
/feeds/besluiten.atom, and any search at /zoeken.atom with the search page's filters.
Entries have stable ids (the intervention's URL, with the decision's id) and the moment
the record last changed publicly; no wall clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.urls import iri_to_uri

from registry.evidence import LABELS
from registry.models.base import as_utc
from registry.query_urls import url_with_query
from registry.search import service
from registry.search.documents import FACETS
from registry.services.feeds import FEED_SIZE, last_changed, recent_decisions
from registry.views import bp
from registry.views.search import load_search_args, search_root
from search_index.query import SearchRequest

# An empty feed's updated time: fixed, so the same record gives the same feed.
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _feed(feed_id: str, title: str, alternate: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.author({"name": current_app.config["OPENDATA_PUBLISHER"]})
    # As a URI: the request's own address holds whatever the visitor typed, decoded,
    # and one character XML cannot hold (U+FFFF) made the whole feed a 500.
    feed.link(href=iri_to_uri(request.url), rel="self")
    feed.link(href=alternate, rel="alternate")
    feed.language(str(get_locale()))  # its titles and labels; the records are Dutch
    return feed


def _atom(feed: FeedGenerator, moments: list[datetime]) -> Response:
    feed.updated(max(moments, default=EPOCH))
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


# What XML 1.0 cannot hold: control characters but tab and line ends, surrogates, and
# the noncharacters U+FFFE and U+FFFF (the XML writer refuses them: one such character in
# one title made the whole feed a 500).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    """The text without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text or "")


@bp.get("/feeds/besluiten.atom")
def decisions_feed():
    home = url_for("pages.home", _external=True)
    feed = _feed(url_for("pages.decisions_feed", _external=True),
                 _("Interventies naar Werk: besluiten"), home)
    moments = []
    for row in reversed(recent_decisions()):  # feedgen puts each new entry first
        page = url_for("pages.intervention", slug=row.slug, _external=True)
        moment = as_utc(row.expired_at or row.published_at)
        moments.append(moment)
        entry = feed.add_entry()
        entry.id(f"{page}#besluit-{row.id}")
        status = LABELS.get(row.outcome, row.outcome)
        if row.expired_at is not None:  # the entry's moment is the expiry: say so
            status = _("Verlopen (was: %(status)s)", status=status)
        entry.title(xml_text(f"{row.title}: {status}"))
        entry.link(href=page)
        entry.published(as_utc(row.published_at))
        entry.updated(moment)
        entry.summary(xml_text(row.rationale or ""))
    return _atom(feed, moments)


@bp.get("/zoeken.atom")
def search_feed():
    args = load_search_args()
    filters = {f: args[f] for f in FACETS if args[f]}
    result, items = service.search(search_root(), SearchRequest(
        args["q"], filters, "decided", 1, FEED_SIZE, suggest=False))
    alternate = url_with_query("pages.search", _external=True)
    # Named by its words, so feeds of different searches can be told apart in a reader.
    title = (_("Interventies naar Werk: zoekresultaten voor ‘%(q)s’", q=xml_text(args["q"]))
             if args["q"] else _("Interventies naar Werk: zoekresultaten"))
    feed = _feed(alternate, title, alternate)
    changed = last_changed([item.intervention.id for item in items])
    moments = []
    for item in reversed(items):
        hit = item.intervention
        page = url_for("pages.intervention", slug=hit.slug, _external=True)
        moment = changed.get(hit.id, EPOCH)
        moments.append(moment)
        entry = feed.add_entry()
        entry.id(page)
        entry.title(xml_text(
            f"{hit.published_version.title} ({LABELS.get(hit.status, hit.status)})"))
        entry.link(href=page)
        entry.updated(moment)
        entry.summary(xml_text(hit.published_version.summary))
    return _atom(feed, moments)
