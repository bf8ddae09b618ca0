"""Template globals and filters shared by every page."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import urlsplit

from babel import Locale
from flask import Flask, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup, escape

from importers.field_labels import field_label
from registry import evidence
from registry.citations import study_citation
from registry.i18n import language_name
from registry.models.user import EXPERTISE_LABELS
from registry.query_urls import url_with_query
from registry.search.labels import parameter_label
from registry.search.terms import term_labels
from registry.services.catalogue import public_status
from registry.views import labels

_BLANK_LINE = re.compile(r"\n\s*\n")


def register_template_helpers(app: Flask) -> None:
    # Globals, not context values, so macros imported without context can use them too.
    app.jinja_env.globals.update(
        evidence_labels=evidence.LABELS,
        expertise_labels=EXPERTISE_LABELS,
        evidence_explanations=evidence.EXPLANATIONS,
        evidence_rank=evidence.rank,
        public_status=public_status,
        labels=labels,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        cached_evidence_badge=_badge_cache(app),
        url_with_query=url_with_query,
    )
    app.context_processor(_inject_request_values)
    app.add_template_filter(_term_label_filter, "term_label")
    app.add_template_filter(region_label, "region_label")
    app.add_template_filter(paragraphs, "paragraphs")
    app.add_template_filter(web_url, "web_url")
    app.add_template_filter(_number_filter, "number")
    app.add_template_filter(math.exp, "exp")
    app.add_template_filter(study_citation, "study_citation")
    app.add_template_filter(domain_label, "domain_label")
    app.add_template_filter(_p_value_filter, "p_value")
    app.add_template_filter(language_name, "language_name")
    app.add_template_filter(country_name, "country_name")
    app.add_template_filter(field_label, "import_field")
    app.add_template_filter(parameter_label, "parameter_label")


def _badge_cache(app: Flask):
    """evidence_badge's HTML per (language, status), rendered once by its macro.

    Not while templates reload (development): the macro may have changed.
    """
    cache: dict[tuple[str, str], Markup] = {}

    def cached_evidence_badge(status: str) -> Markup:
        key = (str(get_locale()), status)
        badge = cache.get(key)
        if badge is None:
            macros = app.jinja_env.get_template("macros/evidence.html").module
            badge = macros.render_evidence_badge(status)
            if status in evidence.LABELS and not app.jinja_env.auto_reload:
                cache[key] = badge
        return badge

    return cached_evidence_badge


def _inject_request_values() -> dict:
    translations = get_translations()
    locale = str(get_locale())
    return {
        "current_locale": locale,
        "labels": resolved_labels(locale),
        "current_path": request.full_path.rstrip("?") if request else "/",
        # This render's translations, looked up once: Flask-Babel's own callables (the
        # globals, still used by macros imported without context) walk its request
        # context on every call, and an evidence page makes several hundred.
        "gettext": _render_gettext(translations.ugettext),
        "ngettext": _render_ngettext(translations.ungettext),
    }


_RESOLVED_LABELS: dict[str, SimpleNamespace] = {}


def resolved_labels(locale: str) -> SimpleNamespace:
    """The labels module as pages read it, its lazy texts translated once per locale and
    process: a lazy text walks Flask-Babel's request context each time it is shown (an
    intervention page shows about 150). Each text stays a LazyString (of a constant), so
    a page renders exactly as with the lazy ones. Called in a request of that locale."""
    resolved = _RESOLVED_LABELS.get(locale)
    if resolved is None:
        resolved = SimpleNamespace(**{name: _resolved(value)
                                      for name, value in vars(labels).items() if name.isupper()})
        _RESOLVED_LABELS[locale] = resolved
    return resolved


def _resolved(value):
    if isinstance(value, LazyString):
        return LazyString(str, str(value))
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_resolved(item) for item in value)
    return value


def _render_gettext(translate):
    """gettext as Jinja's newstyle i18n makes it: the catalogue's own text is markup, the
    variables are escaped by the % formatting."""
    @pass_context
    def gettext(context, message: str, **variables) -> str:
        text = translate(message)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    return gettext


def _render_ngettext(translate):
    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        text = translate(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    return ngettext


# Filters that take the locale from the render's context (current_locale) where there is
# one: get_locale() walks Flask-Babel's request context on each of a page's many calls.
def _locale_of(context) -> str:
    return context.get("current_locale") or str(get_locale())


@pass_context
def _number_filter(context, value, digits: int = 2) -> str:
    return number(value, digits, _locale_of(context))


@pass_context
def _p_value_filter(context, value) -> str:
    return p_value(value, _locale_of(context))


@pass_context
def _term_label_filter(context, term) -> str:
    return term.label(_locale_of(context)) if term is not None else ""


def region_label(code: str) -> str:
    """The label of a "region" code (a province), from the search pages' kept labels."""
    return term_labels(str(get_locale())).get("region", {}).get(code, (0, code))[1]


def paragraphs(text: str | None) -> Markup:
    """Plain text as escaped paragraphs: blank lines split them, single newlines break lines."""
    if not text:
        return Markup("")
    blocks = [block.strip() for block in _BLANK_LINE.split(text.strip())]
    return Markup("\n").join(
        Markup("<p>%s</p>") % Markup("<br>\n").join(escape(line) for line in block.splitlines())
        for block in blocks
        if block
    )


def web_url(url: str | None) -> str | None:
    """The URL when it is a web address; None otherwise, so javascript: links never render."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[" from an imported record: shown as text, not linked
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def domain_label(code: str, terms: dict) -> str:
    """An outcome domain's label in running text ("werk (uitstroom naar werk)"), from the
    search pages' term labels (registry/search/terms.term_labels)."""
    return terms.get("outcome_domain", {}).get(code, (0, code))[1].lower()


@lru_cache(maxsize=16)
def _number_signs(locale: str) -> dict[int, str]:
    symbols = Locale.parse(locale).number_symbols
    symbols = symbols.get("latn", symbols)  # Babel 2.14+: per numbering system
    return str.maketrans({",": symbols["group"], ".": symbols["decimal"]})


def number(value, digits: int = 2, locale: str | None = None) -> str:
    """A decimal in the current locale's notation (1,30 in Dutch, 1.30 in English), as
    Babel's format_decimal(value, "#,##0.00") writes it (half-even rounding of the value
    as written). Formatted here because Babel parses the pattern on every call: an
    intervention page shows a few hundred numbers (a third of its rendering)."""
    if value is None:
        return ""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    if exact.is_zero():
        exact = abs(exact)  # -0.004 is "0,00", not "-0,00"
    return f"{exact:,.{digits}f}".translate(_number_signs(locale or str(get_locale())))


def p_value(value: float | None, locale: str | None = None) -> str:
    """A p-value as researchers write it: 'p = 0,03' or 'p < 0,001' (Babel's "0.00#":
    two decimals, a third when it is not 0)."""
    if value is None:
        return ""
    if value < 0.001:
        return "p < " + number(0.001, 3, locale)
    text = number(value, 3, locale)
    return "p = " + (text[:-1] if text.endswith("0") else text)


def country_name(code: str | None) -> str:
    """An ISO country code as its name in the current locale."""
    if not code:
        return ""
    return Locale.parse(str(get_locale())).territories.get(code.upper(), code)
