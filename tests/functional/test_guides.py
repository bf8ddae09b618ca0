"""Werkwijzers: editors write and revise them (every save a version, with the
differences), the public reads them, and they appear beside the profile results, the
intervention page and the text search they belong with."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Guide, GuideVersion
from registry.search import sync
from search_index import searchers
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user
from tests.unit.test_guides_markdown import executable

GUIDE = {"title": "Werkwijzer schulden en werk", "phase": "guidance",
         "body": "## Aanpak\n\nZet schuldhulp en werk **tegelijk** in.",
         "facets": ["barrier:debt"], "note": "Eerste versie"}


@pytest.fixture
def editor(client):
    user = make_user("secretary")
    db.session.commit()
    login(client, user)
    return user


def write(client, **changes):
    return client.post("/werkwijzers/nieuw", data={**GUIDE, **changes})


def count(model=GuideVersion) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_editor_writes_a_guide_the_public_reads(client, editor):
    response = write(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>tegelijk</strong>" in page and "Versie 1" in page


def test_a_save_from_an_older_form_is_refused_and_keeps_the_editors_text(client, editor):
    slug = write(client).headers["Location"].rsplit("/", 1)[1]
    edit = f"/werkwijzers/{slug}/bewerken"
    form = client.get(edit).get_data(as_text=True)
    assert 'name="based_on" value="1"' in form
    assert client.post(edit, data={**GUIDE, "based_on": "1", "body": "Versie twee."}
                       ).status_code == 302
    late = client.post(edit, data={**GUIDE, "based_on": "1", "body": "Mijn eigen tekst."})
    page = late.get_data(as_text=True)
    assert late.status_code == 409 and "versie 2" in page and "Mijn eigen tekst." in page
    assert 'name="based_on" value="2"' in page and count() == 2
    again = client.post(edit, data={**GUIDE, "based_on": "2", "body": "Mijn eigen tekst."})
    assert again.status_code == 302 and count() == 3


@pytest.mark.parametrize("based_on", ["", "abc", "9" * 40, "-1"])
def test_a_garbled_version_field_is_read_as_no_version_and_saves(client, editor, based_on):
    slug = write(client).headers["Location"].rsplit("/", 1)[1]
    response = client.post(f"/werkwijzers/{slug}/bewerken",
                           data={**GUIDE, "based_on": based_on, "body": "Versie twee."})
    assert response.status_code == 302 and count() == 2


def test_a_guide_titled_like_a_page_of_its_own_gets_a_slug_of_its_own(client, editor):
    response = write(client, title="Nieuw")
    assert response.headers["Location"].endswith("/werkwijzers/nieuw-2")
    client.post("/uitloggen")
    assert "Zet schuldhulp" in client.get("/werkwijzers/nieuw-2").get_data(as_text=True)


def test_every_page_of_its_own_under_werkwijzers_is_a_reserved_slug(app):
    from registry.services.guides import RESERVED_SLUGS

    own = {rule.rule.split("/")[2] for rule in app.url_map.iter_rules()
           if rule.rule.startswith("/werkwijzers/") and "<" not in rule.rule.split("/")[2]}
    assert own and own <= RESERVED_SLUGS


def test_a_revision_is_a_new_version_with_its_differences(client, editor):
    write(client)
    guide = db.session.scalars(select(Guide)).one()
    client.post(f"/werkwijzers/{guide.slug}/bewerken",
                data={**GUIDE, "body": "## Aanpak\n\nZet schuldhulp en werk samen in.",
                      "note": "Korter"})
    history = client.get(f"/werkwijzers/{guide.slug}/versies").get_data(as_text=True)
    assert count() == 2
    assert "<del>-Zet schuldhulp en werk **tegelijk** in.</del>" in history
    assert "<ins>+Zet schuldhulp en werk samen in.</ins>" in history


def test_the_history_names_characteristics_phases_and_interventions_in_words(client, editor):
    intervention = make_intervention(title="Schulden eerst, werk ook")
    db.session.commit()
    write(client)
    guide = db.session.scalars(select(Guide)).one()
    client.post(f"/werkwijzers/{guide.slug}/bewerken",
                data={**GUIDE, "phase": "intake", "intervention_ids": [str(intervention.id)]})
    history = client.get(f"/werkwijzers/{guide.slug}/versies").get_data(as_text=True)
    assert "<ins>+Interventies: Schulden eerst, werk ook</ins>" in history
    assert "<del>-Interventies: -</del>" in history
    assert re.search(r"<ins>\+Fase: [A-Z]", history) and "Fase: intake" not in history
    assert "barrier:debt" not in history and "Kenmerken: Belemmering" in history


def test_saving_without_a_change_makes_no_new_version(client, editor):
    write(client)
    guide = db.session.scalars(select(Guide)).one()
    response = client.post(f"/werkwijzers/{guide.slug}/bewerken",
                           data={**GUIDE, "note": "Nog eens opgeslagen"},
                           follow_redirects=True)
    assert count() == 1
    assert "geen nieuwe versie" in response.get_data(as_text=True)


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"), ({"phase": "onbekend"}, "phase"),
    ({"facets": ["barrier:onbekend"]}, "facets"), ({"intervention_ids": ["999999"]},
                                                  "intervention_ids"),
    ({"body": "x" * 50_001}, "body")])
def test_bad_input_names_the_field_and_nothing_is_written(client, editor, changes, field):
    response = write(client, **changes)
    assert (response.status_code, f'id="{field}-fouten"' in response.get_data(as_text=True),
            count(Guide)) == (422, True, 0)


def test_the_error_summary_leads_to_the_first_characteristic(client, editor):
    page = write(client, facets=["barrier:onbekend"]).get_data(as_text=True)

    summary = page[page.index('class="error-summary"'):]
    assert 'href="#facets"' in summary[:summary.index("</div>")]
    assert page.count('id="facets"') == 1
    assert re.search(r'<input type="checkbox" id="facets" name="facets"', page)


def test_a_script_in_the_markdown_is_stored_but_never_served(client, editor):
    write(client, body="Tekst <script>alert('x')</script> [klik](javascript:alert(1))")
    guide = db.session.scalars(select(Guide)).one()
    page = client.get(f"/werkwijzers/{guide.slug}").get_data(as_text=True)
    body = page[page.index('class="guide-body"'):page.index("</div>", page.index("guide-body"))]
    assert executable(body) == [] and "&lt;script&gt;" in body


@pytest.fixture
def indexed(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    intervention = make_intervention(title="Schuldhulp eerst", slug="schuldhulp",
                                     tags={"barrier": ["debt"]})
    guide = Guide(slug="schulden")
    guide.versions.append(GuideVersion(number=1, title="Werkwijzer schulden", phase="guidance",
                                       body="Beslag en schuldhulp.", facets=["barrier:debt"],
                                       intervention_ids=[intervention.id]))
    db.session.add(guide)
    db.session.flush()
    sync.rebuild(db_session.connection(), root)
    yield intervention
    searchers.release_all()


@pytest.mark.parametrize("url", [
    "/zoeken/profiel?barrier=debt", "/interventies/schuldhulp", "/zoeken?q=beslag"])
def test_a_guide_appears_where_it_belongs(client, indexed, url):
    assert 'href="/werkwijzers/schulden"' in client.get(url).get_data(as_text=True)


def test_a_guide_does_not_appear_where_it_does_not_belong(client, indexed):
    page = client.get("/zoeken/profiel?barrier=language").get_data(as_text=True)
    assert 'href="/werkwijzers/schulden"' not in page


def test_the_demo_has_a_guide_for_each_phase(db_session):
    from registry.demo.loader import load_demo

    load_demo()
    phases = sorted(g.current.phase for g in db.session.scalars(select(Guide)))
    assert phases == ["guidance", "intake", "placement_aftercare", "screening_diagnosis"]


def test_pages_beside_results_read_only_each_guides_current_version(db_session):
    """The search and intervention pages list guides on every request: their cost must not
    grow with the guides' history, and a revision replaces what they show."""
    from registry.services.guides import current_guides, guides_for

    for slug, numbers in (("schulden", (1, 2, 3)), ("intake", (1,))):
        guide = Guide(slug=slug)
        for number in numbers:
            guide.versions.append(GuideVersion(
                number=number, title=f"{slug} {number}", phase="guidance",
                body=f"Tekst {number}", facets=[f"barrier:v{number}"]))
        db.session.add(guide)
    db.session.commit()
    db.session.expunge_all()

    shown = current_guides()

    assert [(g.slug, g.current.number) for g in shown] == [("intake", 1), ("schulden", 3)]
    # Plain values, read as columns: no version row is loaded as an ORM object (what is
    # kept between requests must not be bound to this request's session).
    assert not [o for o in db.session.identity_map.values() if isinstance(o, GuideVersion)]
    assert [g.slug for g in guides_for([("barrier", "v3")])] == ["schulden"]
    assert [g.slug for g in guides_for([("barrier", "v2")])] == []
