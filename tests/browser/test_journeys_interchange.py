"""An admin moves interventions in with the keyboard only: from /mijn/ to the import page,
an interchange file previewed, confirmed, seen on its batch page and undone; a file
with errors lists them per record; the adoption figures page. axe-core on each page,
and each page fits a 320 px screen."""

from __future__ import annotations

import json

import pytest

from tests.browser.journeys import activate, axe_violations, fits_320, sign_in_by_keyboard
from tests.functional.interchange_support import interchange, record

pytestmark = pytest.mark.browser


def test_admin_imports_an_interchange_file_and_undoes_it_by_keyboard(journey, page, tmp_path):
    path = tmp_path / "interventies.json"
    path.write_text(json.dumps(interchange(record(slug="werkfit-browser"))), encoding="utf-8")
    sign_in_by_keyboard(page, journey, "admin")
    activate(page, page.get_by_role("link", name="Mijn werk"))
    activate(page, page.get_by_role("link", name="Interventies importeren en exporteren"))
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
    page.get_by_label("Bestand").set_input_files(path)
    activate(page, page.get_by_role("button", name="Voorbeeld bekijken"))

    changes = page.get_by_role("table", name="Wat de import verandert")
    assert "werkfit-browser" in changes.inner_text()
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
    activate(page, page.get_by_role("button", name="Bevestigen en opslaan"))
    assert page.get_by_text("De import is opgeslagen.").is_visible()
    assert page.get_by_role("link", name="Werkfit in de wijk").is_visible()
    assert not axe_violations(page), axe_violations(page)

    activate(page, page.get_by_role("button", name="Deze import ongedaan maken"))
    assert page.get_by_text("De import is ongedaan gemaakt.").is_visible()
    assert "werkfit-browser (verwijderd)" in page.locator("main table").inner_text()


def test_a_file_with_errors_lists_them_per_record(journey, page, tmp_path):
    path = tmp_path / "fout.json"
    bad = record(slug="werkfit-fout", tags={"barrier": ["bestaat-niet"]})
    path.write_text(json.dumps(interchange(bad)), encoding="utf-8")
    sign_in_by_keyboard(page, journey, "admin")
    page.goto(journey.base + "/beheer/interventies/import")
    page.get_by_label("Bestand").set_input_files(path)
    activate(page, page.get_by_role("button", name="Voorbeeld bekijken"))

    assert page.get_by_role("alert").get_by_text("Er wordt niets opgeslagen").is_visible()
    rows = page.get_by_role("table", name="Ongeldige records").locator("tbody tr")
    assert rows.all_inner_texts() == [
        "1\twerkfit-fout\ttags.barrier\tOnbekende code: bestaat-niet."]
    assert page.get_by_role("button", name="Bevestigen en opslaan").count() == 0
    assert not axe_violations(page), axe_violations(page)


def test_the_adoption_figures_page_is_accessible(journey, page):
    sign_in_by_keyboard(page, journey, "admin")
    activate(page, page.get_by_role("link", name="Mijn werk"))
    activate(page, page.get_by_role("link", name="Gebruikscijfers"))
    assert page.get_by_role("heading", name="Zoekopdrachten", exact=True).is_visible()
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
