"""Pages read the code labels resolved once per locale; they render as the lazy ones do."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from registry.templating import resolved_labels
from registry.views import labels

# Every way the templates use a label: shown, lowered, passed into a translated text,
# concatenated, compared.
TEMPLATE = (
    "{% for name, table in tables %}{% for code, label in table.items() %}"
    "{{ label }}|{{ label|lower }}|{{ _('Gepoolde %(type)s', type=label|lower) }}|"
    "{{ label ~ '&' }}|{{ label == table[code] }};{% endfor %}{% endfor %}"
)


def _tables(source) -> list:
    return [(name, getattr(source, name)) for name in sorted(vars(labels)) if name.isupper()]


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_resolved_labels_render_as_the_lazy_ones(app, locale):
    with app.test_request_context(), force_locale(locale):
        lazy = render_template_string(TEMPLATE, tables=_tables(labels))
        resolved = render_template_string(TEMPLATE, tables=_tables(resolved_labels(locale)))
    assert resolved == lazy
    assert lazy.count(";") > 200  # every table was rendered


def test_each_locale_has_its_own_labels(app):
    with app.test_request_context():
        with force_locale("nl"):
            dutch = str(resolved_labels("nl").DIRECTIONS["favourable"])
        with force_locale("en"):
            english = str(resolved_labels("en").DIRECTIONS["favourable"])
    assert (dutch, english) == ("Gunstig", "Favourable")


def test_a_page_reads_the_resolved_labels(app):
    with app.test_request_context(), force_locale("en"):
        shown = render_template_string("{{ labels.DIRECTIONS.null }}")
        assert shown == "No difference"
        assert render_template_string("{{ labels is sameas resolved }}",
                                      resolved=resolved_labels("en")) == "True"


def test_every_count_an_import_keeps_has_a_label():
    """The batch pages show each count of batch.counts by its label, the code itself
    only when none is known ("warnings: 0" on a Dutch page)."""
    from importers.pipeline import ImportReport

    kept = set(ImportReport("ris", "f.ris", "0" * 64).counts())
    kept |= {"rows", "added", "skipped"}  # importers/findings.py
    assert kept <= set(labels.IMPORT_COUNTS)
