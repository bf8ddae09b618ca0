"""Atom feeds: the latest decisions and any search, parsed as Atom; stable entry ids
and updated times; invalid filters refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from defusedxml import ElementTree as ET

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from tests.factories import DecisionFactory, make_intervention

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def published(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    shown = make_intervention(title="Jobcoach voor statushouders",
                              tags={"target_group": ["newcomers"]})
    decision = DecisionFactory(intervention=shown, version_id=shown.published_version_id,
                               published_at=PUBLISHED, rationale="Twee sterke studies.")
    shown.current_decision = decision
    make_intervention(title="Werkstage zonder besluit", tags={"target_group": ["wajong"]})
    unpublished = make_intervention(title="Nog in beraad")
    DecisionFactory(intervention=unpublished, version_id=unpublished.published_version_id,
                    rationale="Nog niet openbaar.")
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield decision
    searchers.release_all()


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def test_the_decisions_feed_lists_published_decisions_only(client, published):
    feed = _feed(client, "/feeds/besluiten.atom")

    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}summary") for e in entries] == ["Twee sterke studies."]
    assert entries[0].findtext(f"{ATOM}id").endswith(f"#besluit-{published.id}")
    assert entries[0].findtext(f"{ATOM}updated") == "2026-03-02T12:00:00+00:00"
    assert feed.findtext(f"{ATOM}updated") == "2026-03-02T12:00:00+00:00"


def test_the_same_record_gives_the_same_feed(client, published):
    assert client.get("/feeds/besluiten.atom").data == client.get("/feeds/besluiten.atom").data


def test_a_search_feed_has_the_search_pages_filters(client, published):
    feed = _feed(client, "/zoeken.atom?target_group=newcomers")

    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Jobcoach voor statushouders (Effectief volgens goede aanwijzingen)"]


def test_a_search_feed_with_an_invalid_filter_is_refused(client, published):
    response = client.get("/zoeken.atom?sorteer=willekeurig")

    assert response.status_code == 422


def test_the_search_page_links_its_feed(client, published):
    page = client.get("/zoeken?target_group=newcomers").get_data(as_text=True)

    assert 'type="application/atom+xml" href="/zoeken.atom?target_group=newcomers"' in page


def test_a_character_xml_cannot_hold_does_not_break_the_feeds(client, app, db_session,
                                                              tmp_path, monkeypatch):
    # Stored before the schemas refused it (U+FFFE, U+FFFF): the XML writer refuses it,
    # and one such title made the whole feed a 500.
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    shown = make_intervention(title="Werkfit \ufffe in de wijk")
    shown.current_decision = DecisionFactory(
        intervention=shown, version_id=shown.published_version_id, published_at=PUBLISHED,
        rationale="Goed \uffff beschreven.")
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    try:
        decisions = _feed(client, "/feeds/besluiten.atom")
        search = _feed(client, "/zoeken.atom?q=werkfit")
    finally:
        searchers.release_all()
    (entry,) = decisions.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "Goed  beschreven."
    assert len(search.findall(f"{ATOM}entry")) == 1


@pytest.mark.parametrize("path", ["/feeds/besluiten.atom?x=%EF%BF%BF",
                                  "/feeds/besluiten.atom?x=%00",
                                  "/zoeken.atom?q=werkfit&x=%EF%BF%BF"])
def test_a_character_xml_cannot_hold_in_the_address_does_not_break_the_feeds(
        client, published, app, tmp_path, monkeypatch, db_session, path):
    """The feed's self link is the request's address: as a URI (percent-encoded), never
    with what the visitor typed raw."""
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    sync.rebuild(db_session.connection(), root)
    try:
        response = client.get(path)
    finally:
        searchers.release_all()
    assert response.status_code == 200
    self_link = ET.fromstring(response.data).find(f"{ATOM}link[@rel='self']")
    assert "%EF%BF%BF" in self_link.get("href") or "%00" in self_link.get("href")


def test_a_search_feed_is_named_by_its_words_in_the_readers_language(
        client, published, app, tmp_path, monkeypatch, db_session):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    sync.rebuild(db_session.connection(), root)
    try:
        dutch = ET.fromstring(client.get("/zoeken.atom?q=werkfit").data)
        client.get("/taal/en?next=/")
        english = ET.fromstring(client.get("/zoeken.atom?q=werkfit").data)
    finally:
        searchers.release_all()
    assert dutch.findtext(f"{ATOM}title") == "Interventies naar Werk: zoekresultaten voor ‘werkfit’"
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_an_expired_recognition_is_titled_expired_in_the_decisions_feed(client, published):
    """The entry's moment is the expiry: its title must say so, as the page does."""
    published.expired_at = datetime(2025, 3, 1, tzinfo=UTC)
    db.session.flush()
    feed = _feed(client, "/feeds/besluiten.atom")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert any(title.startswith("Jobcoach voor statushouders: Verlopen (was: ")
               for title in titles), titles


def test_an_expiry_is_announced_however_many_publications_came_after_it(
        client, published):
    # Recognitions lapse years after their publication: the expiry is the newest moment
    # of the feed and comes first, so the feed's fifty entries hold it however many
    # decisions were published since the one that lapsed.
    for number in range(3):
        other = make_intervention(title=f"Later besluit {number}")
        other.current_decision = DecisionFactory(
            intervention=other, version_id=other.published_version_id,
            published_at=datetime(2026, 4, 1 + number, tzinfo=UTC))
    published.expired_at = datetime(2026, 5, 1, tzinfo=UTC)
    db.session.flush()

    entries = _feed(client, "/feeds/besluiten.atom").findall(f"{ATOM}entry")

    assert entries[0].findtext(f"{ATOM}id").endswith(f"#besluit-{published.id}")
    assert entries[0].findtext(f"{ATOM}updated") == "2026-05-01T00:00:00+00:00"
