"""The public pages: home, lists, the recognition page, errors and the language switch.

The intervention and study record pages are in test_pages_records.py.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import get_babel

from registry import evidence
from registry.errors import error_response
from registry.extensions import db
from registry.search import sync
from registry.search.kinds import INTERVENTIONS
from search_index import searchers
from tests.factories import StudyFactory, make_intervention

CATALOGUE = Path(__file__).resolve().parents[2] / "registry" / "translations" / "en" / "LC_MESSAGES"


def page_text(response) -> str:
    """The page as a screen reader reads it: aria-hidden parts and tags dropped, entities
    decoded, spaces collapsed."""
    body = re.sub(
        r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', " ", response.get_data(as_text=True)
    )
    without_tags = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(without_tags))


@pytest.fixture(scope="module")
def english_catalogue(app):
    """Compile the English catalogue when the .mo is missing or stale (as `make translations`)."""
    po, mo = CATALOGUE / "messages.po", CATALOGUE / "messages.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    with po.open("rb") as source:
        catalog = read_po(source, locale="en")
    partial = mo.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as target:
        write_mo(target, catalog)
    partial.replace(mo)
    # An earlier English request in this session may have cached the missing catalogue.
    get_babel(app).instance.domain_instance.cache.clear()


def dutch(app, text) -> str:
    """A lazily translated text as the default (Dutch) locale renders it."""
    with app.test_request_context("/"):
        return str(text)


@pytest.fixture
def english(client, english_catalogue):
    client.get("/taal/en?next=/")
    return client


# Home


@pytest.mark.parametrize("status", evidence.PUBLIC_STATUSES)
def test_home_names_every_public_status(app, client, status):
    assert dutch(app, evidence.LABELS[status]) in page_text(client.get("/"))


@pytest.fixture
def home_index(app, db_session, tmp_path, monkeypatch):
    """An index folder of this test's own; call it to index the catalogue as it is now
    (the home page counts from the index, as the search its counts link to)."""
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))

    def build() -> None:
        db.session.flush()
        sync.rebuild(db_session.connection(), INTERVENTIONS.root(root))
        searchers.release_all()

    yield build
    searchers.release_all()


def test_home_counts_interventions_per_status(client, home_index):
    make_intervention(outcome="effective_good")
    make_intervention(outcome="effective_good")
    make_intervention(outcome="not_recognised")
    home_index()
    text = page_text(client.get("/"))
    assert "Effectief volgens goede aanwijzingen 2 interventies" in text
    assert "De databank bevat 3 gepubliceerde interventies." in text


def test_home_counts_expired_separately(client, home_index):
    make_intervention(outcome="effective_good", expired=True)
    home_index()
    assert "Verlopen 1 interventie " in page_text(client.get("/"))


def test_home_count_links_to_interventions_with_that_status(client, home_index):
    make_intervention(outcome="not_recognised")
    home_index()
    body = client.get("/").get_data(as_text=True)
    assert '<a href="/zoeken?level=not_recognised">1 interventie' in body


def test_home_counts_what_the_linked_search_finds(client, home_index):
    for outcome in ("effective_good", "effective_good", "well_described", None):
        make_intervention(outcome=outcome)
    make_intervention(published=False)
    home_index()
    facets = client.get("/api/v1/search").get_json()["facets"]
    level = next(facet for facet in facets if facet["name"] == "level")
    found = {value["value"]: value["count"] for value in level["values"]}
    assert found == {"effective_good": 2, "well_described": 1, "not_assessed": 1}
    home = page_text(client.get("/"))
    for status, count in found.items():
        label = dutch(client.application, evidence.LABELS[status])
        word = "interventie" if count == 1 else "interventies"
        assert f"{label} {count} {word}" in home


def test_home_reads_no_intervention_from_the_database_when_the_index_is_there(
        app, client, home_index):
    make_intervention(outcome="effective_good")
    home_index()
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert not [statement for statement in seen if "interventions" in statement]


def test_home_counts_from_the_database_while_there_is_no_index(client, home_index):
    make_intervention(outcome="effective_good")
    make_intervention(outcome="effective_good")
    db.session.flush()  # the index folder is empty: not built yet, or being restored
    assert "Effectief volgens goede aanwijzingen 2 interventies" in page_text(client.get("/"))


@pytest.mark.parametrize("audience", ["Klantmanagers", "erkenningscommissie", "Onderzoekers"])
def test_home_says_for_whom(client, audience):
    assert audience in page_text(client.get("/"))


def test_home_links_to_explanation_of_levels(client):
    body = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/erkenning">Wat betekenen deze niveaus', body)


# Intervention list


def test_list_shows_title_summary_badge_rungs_and_target_group(client):
    make_intervention(
        title="Werkfit Plus",
        summary="Begeleiding naar werk voor nieuwkomers.",
        outcome="well_founded",
        ladder_rung_min=2,
        ladder_rung_max=4,
        tags={"target_group": ["newcomers"]},
    )
    text = page_text(client.get("/interventies"))
    for expected in (
        "Werkfit Plus",
        "Begeleiding naar werk voor nieuwkomers.",
        "Goed onderbouwd",
        "trede 2 t/m 4",
        "Statushouders en nieuwkomers",
    ):
        assert expected in text


def test_list_leaves_out_drafts(client):
    make_intervention(title="Concept Zonder Publicatie", published=False)
    assert "Concept Zonder Publicatie" not in page_text(client.get("/interventies"))


def test_list_sorts_by_title_descending(client):
    make_intervention(title="Aardse aanpak")
    make_intervention(title="Zuidelijke aanpak")
    text = page_text(client.get("/interventies?sorteer=-title"))
    assert text.index("Zuidelijke aanpak") < text.index("Aardse aanpak")


def test_list_sorts_strongest_evidence_first(client):
    make_intervention(title="Aanpak zwak", outcome="well_described")
    make_intervention(title="Aanpak sterk", outcome="effective_strong")
    text = page_text(client.get("/interventies?sorteer=-level"))
    assert text.index("Aanpak sterk") < text.index("Aanpak zwak")


def test_list_second_page_holds_the_21st_intervention(client):
    for number in range(21):
        make_intervention(title=f"Interventie {number:02d}")
    text = page_text(client.get("/interventies?pagina=2"))
    assert "Interventie 20" in text and "Interventie 19" not in text


def test_list_pager_marks_previous_and_next(client):
    for number in range(41):
        make_intervention(title=f"Interventie {number:02d}")
    body = client.get("/interventies?pagina=2").get_data(as_text=True)
    assert 'href="/interventies?pagina=1&amp;sorteer=title" rel="prev"' in body
    assert 'href="/interventies?pagina=3&amp;sorteer=title" rel="next"' in body


@pytest.mark.parametrize("query", ["pagina=abc", "pagina=0", "pagina=1.5", "sorteer=bogus"])
def test_list_refuses_invalid_query_with_400(client, query):
    assert client.get(f"/interventies?{query}").status_code == 400


def test_invalid_page_number_is_explained_in_dutch(client):
    text = page_text(client.get("/interventies?pagina=abc"))
    assert "Het paginanummer moet een heel getal zijn, 1 of hoger." in text


@pytest.mark.parametrize("page", ["2", "99999999999999999999"])
def test_list_page_past_the_end_is_404(client, page):
    make_intervention()
    assert client.get(f"/interventies?pagina={page}").status_code == 404


def test_list_escapes_html_in_titles(client):
    make_intervention(title="<script>alert('x')</script>")
    body = client.get("/interventies").get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


# Study list


def test_study_list_shows_title_and_authors(client):
    StudyFactory(title="Jobcoaching in de bijstand")
    text = page_text(client.get("/studies"))
    assert "Jobcoaching in de bijstand" in text and "van den Berg, J.; Yılmaz, A." in text


def test_study_list_refuses_unknown_sort(client):
    assert client.get("/studies?sorteer=popular").status_code == 400


def test_study_list_page_past_the_end_is_404(client):
    assert client.get("/studies?pagina=2").status_code == 404


# Recognition page


def test_recognition_page_explains_levels_in_order(app, client):
    text = page_text(client.get("/erkenning"))
    positions = [text.index(dutch(app, evidence.EXPLANATIONS[lvl])) for lvl in evidence.LEVELS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("status", ["not_recognised", "provisional", "expired"])
def test_recognition_page_explains_other_outcomes(app, client, status):
    assert dutch(app, evidence.EXPLANATIONS[status]) in page_text(client.get("/erkenning"))


def test_recognition_page_states_validity(client):
    text = page_text(client.get("/erkenning"))
    assert "Een erkenning geldt 5 jaar." in text
    assert "Een erkenning onder voorbehoud geldt 6 maanden." in text


def test_recognition_page_lists_screening_criteria(client):
    text = page_text(client.get("/erkenning"))
    assert "de interventie wordt in Nederland op twee of meer plaatsen gebruikt" in text


# Errors


def test_unknown_path_gives_dutch_404_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in page_text(response)


def test_404_page_links_to_search(client):
    body = client.get("/bestaat-niet").get_data(as_text=True)
    assert '<a href="/zoeken">Zoek een interventie</a>' in body


def test_error_page_for_500_is_friendly_and_dutch(app):
    with app.test_request_context("/"):
        body, status = error_response(500, "internal_error", "Onverwachte fout.")
    assert status == 500 and "Er ging iets mis" in body


# Language


def test_pages_are_dutch_by_default(client):
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in body and ">Interventies</a>" in body


def test_language_switch_marks_current_language(client):
    body = client.get("/").get_data(as_text=True)
    assert re.search(r'lang="nl" hreflang="nl" aria-current="true">Nederlands<', body)


def test_language_switch_returns_to_the_current_page(client):
    body = client.get("/studies").get_data(as_text=True)
    assert 'href="/taal/en?next=/studies"' in body


def test_english_navigation_after_switching(english):
    body = english.get("/").get_data(as_text=True)
    assert '<html lang="en">' in body and ">Interventions</a>" in body


def test_english_evidence_labels_after_switching(english):
    make_intervention(outcome="not_recognised")
    assert "Not recognised" in page_text(english.get("/interventies"))


def test_english_message_for_invalid_page(english):
    text = page_text(english.get("/interventies?pagina=abc"))
    assert "The page number must be a whole number, 1 or more." in text


def _forms(string) -> tuple:
    return string if isinstance(string, tuple) else (string,)


def test_english_catalogue_is_complete():
    with (CATALOGUE / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="en")
    missing = [m.id for m in catalog if m.id and (m.fuzzy or not all(_forms(m.string)))]
    assert missing == []


def test_english_catalogue_holds_every_text_of_the_sources():
    """The catalogue is not behind the code: every text the sources mark for translation
    (as `make messages` extracts them) is in messages.po."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = CATALOGUE.parents[3]
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {message if isinstance(message, str) else message[0]
             for _file, _line, message, _comments, _context in extract_from_dir(
                 str(root), method_map, options_map, keywords=keywords)}
    with (CATALOGUE / "messages.po").open("rb") as source:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source, locale="en")}
    assert sorted(found - known) == []
