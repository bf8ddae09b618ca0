"""The search pages: /zoeken (text and facets) and /zoeken/profiel (client profile).

The whole state lives in the query string, so every page is shareable and works
without JavaScript; each facet link adds or removes one value and keeps the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from registry.errors import ValidationFailed, details_from_marshmallow
from registry.ops.metrics import search_timer
from registry.schemas.pagination import paging_schema
from registry.schemas.search import (
    ProfileQuerySchema,
    SearchQuerySchema,
    client_profile,
    query_dict,
)
from registry.search import labels, service
from registry.search.documents import FACETS
from registry.search.terms import known_codes, term_labels
from registry.services import guides
from registry.usage.counting import count_search
from registry.views import bp
from search_index.query import FEW_RESULTS, SORTS, SearchRequest
from search_index.storage import IndexUnavailable

# Rows of a result export at most (registry/views/exports.py).
EXPORT_CAP = 1000
# The pages use the site's Dutch parameter names (as the list pages do); the schemas,
# shared with the API, the English ones. The English names are still accepted.
DUTCH_PARAMS = {"pagina": "page", "sorteer": "sort"}
ENGLISH_PARAMS = {english: dutch for dutch, english in DUTCH_PARAMS.items()}
# What url_for leaves unquoted in a query argument (werkzeug.urls._urlencode): links built
# by hand read exactly as url_for's.
URL_BUILDER_SAFE = "!$'()*,/:;?@"
PATH_SEGMENT_SAFE = "!$&'()*+,/:;=@"  # werkzeug's BaseConverter.to_url


def _english(args: MultiDict) -> MultiDict:
    english = MultiDict(args)
    for dutch, key in DUTCH_PARAMS.items():
        values = english.poplist(dutch)
        if values:  # the Dutch name wins over an English one given as well
            english.setlist(key, values)
    return english


def _load(schema_class) -> dict:
    size = current_app.config["PAGE_SIZE"]
    schema = paging_schema(schema_class, max(size, 100), size)
    try:
        return schema.load(query_dict(_english(request.args), schema))
    except ValidationError as error:
        messages = {ENGLISH_PARAMS.get(k, k): v for k, v in error.messages.items()}
        raise ValidationFailed(
            _("De zoekopdracht is ongeldig."), details_from_marshmallow(messages)
        ) from error


def search_root() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def load_search_args() -> dict:
    """The search page's query string, validated. Raises ValidationFailed."""
    return _load(SearchQuerySchema)


def load_profile_args() -> dict:
    """The profile search's query string, validated. Raises ValidationFailed."""
    return _load(ProfileQuerySchema)


def _state(args: dict) -> dict:
    sort = None if args["sort"] == "relevance" else args["sort"]
    state = {"q": args["q"] or None, "sorteer": sort}
    state.update({f: list(args[f]) for f in FACETS if args[f]})
    return {k: v for k, v in state.items() if v}


_BASE_URL_KEY = "search.base_url"


def _url(state: dict, **changes) -> str:
    merged = {**state, **changes}
    params = {k: v for k, v in merged.items() if v}
    # url_for once per request, not once per facet value link (there are ~100 of them);
    # not setdefault(key, url_for(...)), which would build it every time anyway.
    base = request.environ.get(_BASE_URL_KEY)
    if base is None:
        base = request.environ[_BASE_URL_KEY] = url_for("pages.search")
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


@lru_cache(maxsize=4096)  # a page links ~100 values of the same few hundred
def _encoded_pair(facet: str, value: str) -> str:
    return f"{quote_plus(facet)}={quote_plus(value)}"


def _toggles(state: dict) -> Callable[[str, str], str]:
    """toggle(facet, value): the link that adds or removes one facet value and keeps the
    rest, to the first page; what _url(state, facet=..., pagina=None) gives. A page has
    about a hundred: the state's parameters are encoded once, not once per link, and a
    value added is encoded alone, after its facet's chosen ones."""
    base = _url({})
    encoded = {key: urlencode({key: value}, doseq=True) for key, value in state.items()}

    def toggle(facet: str, value: str) -> str:
        chosen = state.get(facet, [])
        if value in chosen:
            kept = [v for v in chosen if v != value]
            own = urlencode({facet: kept}, doseq=True) if kept else None
        else:
            added = _encoded_pair(facet, value)
            own = f"{encoded[facet]}&{added}" if chosen else added
        parts = [own if key == facet else part for key, part in encoded.items()]
        if facet not in encoded:
            parts.append(own)
        parts = [part for part in parts if part]
        return f"{base}?{'&'.join(parts)}" if parts else base

    return toggle


def _record_urls() -> Callable[[str], str]:
    """record_url(slug): an intervention page's link that leads back to this page; what
    url_for("pages.intervention", slug=slug, terug=request.full_path) gives, with the way
    back encoded once a page rather than once a result."""
    back = urlencode({"terug": request.full_path}, safe=URL_BUILDER_SAFE)
    # The route built once, its slug quoted as werkzeug's converter quotes a path segment
    # (url_for walks the URL map for each of a page's twenty results).
    prefix = url_for("pages.intervention", slug="-")[:-1]

    def record_url(slug: str) -> str:
        return f"{prefix}{quote(slug, safe=PATH_SEGMENT_SAFE)}?{back}"

    return record_url


@bp.get("/zoeken")
def search():
    args = _load(SearchQuerySchema)
    state = _state(args)
    filters = {f: args[f] for f in FACETS if args[f]}
    search_request = SearchRequest(args["q"], filters, args["sort"], args["page"], args["per_page"],
                                   alternatives=True)
    try:
        with search_timer("text"):
            result, items = service.search(search_root(), search_request)
    except IndexUnavailable as error:
        current_app.logger.warning("search index unavailable: %s", error)
        return render_template("search/unavailable.html", state=state, q=args["q"]), 503
    last = _last_page(result.total, args["per_page"])
    if args["page"] > last:  # past the results (an old link, a shrunk result): the last
        return redirect(_url(state, pagina=last if last > 1 else None))
    terms = term_labels(_locale())
    if args["page"] == 1:  # a search, not the next page of one
        count_search("search", [(f, v) for f, values in filters.items() for v in values],
                     known_codes(terms))
    groups = labels.facet_groups(result.facets, terms)
    toggle = _toggles(state)
    for group in groups:
        for value in group["values"]:
            value["url"] = toggle(group["name"], value["value"])
    return render_template(
        "search/results.html",
        args=args,
        state=state,
        result=result,
        items=items,
        groups=groups,
        terms=terms,
        sorts=[(s, labels.SORT_LABELS[s], _url(state, sorteer=s, pagina=None)) for s in SORTS],
        pages=_pages(state, args, result.total),
        suggestion_url=_url(state, q=result.suggestion) if result.suggestion else None,
        relax=[
            (r, labels.value_label(r.facet, r.value, terms), toggle(r.facet, r.value))
            for r in result.relaxations
        ],
        clear_url=_url({"q": state.get("q")}),
        drops=[(drop, _url(state, q=drop.text, pagina=None)) for drop in result.word_drops],
        english_note=_locale() == "en" and bool(args["q"]) and result.total < FEW_RESULTS,
        guides=guides.guides_matching(args["q"]) if args["q"] else [],
        export_cap=EXPORT_CAP,
        record_url=_record_urls(),
    )


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


def _last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _pages(state: dict, args: dict, total: int) -> dict:
    last = _last_page(total, args["per_page"])
    page = args["page"]
    return {
        "page": page,
        "last": last,
        "prev": _url(state, pagina=page - 1) if page > 1 else None,
        "next": _url(state, pagina=page + 1) if page < last else None,
    }


@bp.get("/zoeken/profiel")
def search_profile():
    args = _load(ProfileQuerySchema)
    profile = client_profile(args)
    terms = term_labels(_locale())
    context = {"args": args, "profile": profile, "terms": terms, "described": False}
    if not profile.characteristics() and not profile.goal:
        return render_template("search/profile.html", **context)
    try:
        with search_timer("profile"):
            result, items = service.search_profile(search_root(), profile, args["page"],
                                                   args["per_page"])
    except IndexUnavailable as error:
        current_app.logger.warning("search index unavailable: %s", error)
        return render_template("search/profile.html", unavailable=True, **context), 503
    pages = _profile_pages(args, result.total)
    if args["page"] > pages["last"]:  # past the results: the last page of them
        return redirect(pages["last_url"])
    given = len(profile.characteristics())
    if args["page"] == 1:
        count_search("profile_search", profile.characteristics(), known_codes(terms))
    describe_fit(items, given, terms)
    return render_template(
        "search/profile.html", result=result, items=items, fit_labels=fit_labels(),
        guides=guides.guides_for(profile.characteristics()),
        pages=pages, export_cap=EXPORT_CAP, record_url=_record_urls(),
        **{**context, "described": True},
    )


def describe_fit(items: list, given: int, terms: dict) -> None:
    """Give each profile hit its fit label, the line on how much fits and why, as every
    page of profile results shows them. In the ranking's order: grouping a page by fit
    reordered what the ranking had put first, and broke the order between pages (page 2
    opened with "Past deels" after page 1's "Past niet")."""
    gettext = labels.page_gettext()
    for item in items:
        item.explanation = labels.explanation_of(item, terms, gettext)
        item.fit_summary = labels.fit_summary(len(item.fits), given, item.goal_matched, gettext)
        item.fit_group = labels.fit_group(len(item.fits), given, len(item.mismatches),
                                          item.goal_matched)


def fit_labels() -> dict[str, str]:
    return {group: str(label) for group, label in labels.FIT_GROUP_LABELS.items()}


def _profile_pages(args: dict, total: int) -> dict:
    """Previous/next links of the profile results: the same query, another page."""
    last = _last_page(total, args["per_page"])
    page = args["page"]

    def url(number: int) -> str:
        query = MultiDict(request.args)
        query.poplist("page")
        query.setlist("pagina", [str(number)])
        return f"{url_for('pages.search_profile')}?{urlencode(list(query.items(multi=True)))}"

    return {"page": page, "last": last, "last_url": url(last),
            "prev": url(page - 1) if page > 1 else None,
            "next": url(page + 1) if page < last else None}
