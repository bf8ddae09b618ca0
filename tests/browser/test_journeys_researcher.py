"""A researcher imports studies with the keyboard only: sign in, from /mijn/ to the import,
a RIS file previewed with a dropped link named by Dutch field, the import confirmed,
then undone after a confirmation page that lists what will change.

The file is chosen with set_input_files (a file dialog is outside the page); everything
else is Tab, Enter and typing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.journeys import activate, axe_violations, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parents[1] / "unit" / "importers" / "samples" / "studies.ris"
# Record 1 names an intervention the catalogue lacks (KW  - interventie:ips-bijstand): it
# is imported without that link, and the preview says so.
IPS = ("Individual placement and support for people on social assistance: a randomised "
       "trial in three Dutch municipalities")
WARNED = (IPS, "Interventies")
NEW_TITLES = [IPS, "Schuldhulp eerst: een procesevaluatie in Rotterdam",
              "Job coaching without a year"]


def test_researcher_imports_a_ris_file_and_undoes_it_by_keyboard(journey, page):
    sign_in_by_keyboard(page, journey, "researcher")
    activate(page, page.get_by_role("link", name="Mijn werk"))
    activate(page, page.get_by_role("link", name="Studies importeren"))
    page.get_by_label("Bestand").set_input_files(SAMPLE)
    activate(page, page.get_by_role("button", name="Voorbeeld bekijken"))

    warned = page.get_by_role("table", name="Records met een weggelaten veld")
    rows = [row.split("\t") for row in warned.locator("tbody tr").all_inner_texts()]
    assert [(title, field) for _n, _line, title, field, _why in rows] == [WARNED], rows
    new = page.get_by_role("table", name="Nieuwe studies").locator("tbody tr")
    assert [text.split("\t")[1] for text in new.all_inner_texts()] == NEW_TITLES

    activate(page, page.get_by_role("button", name="Bevestigen en opslaan"))
    assert page.get_by_text("De import is opgeslagen.").is_visible()
    batch_url = page.url
    activate(page, page.get_by_role("link", name="Deze import ongedaan maken…"))
    removed = page.get_by_role("region", name="3 studies worden verwijderd")
    assert removed.get_by_role("listitem").all_inner_texts() == NEW_TITLES
    activate(page, page.get_by_role("button", name="Ja, maak deze import ongedaan"))

    assert page.url == batch_url
    assert page.get_by_text("De import is ongedaan gemaakt.").is_visible()
    assert "ongedaan gemaakt" in page.locator("main dl").inner_text()
    assert page.get_by_role("link", name="Deze import ongedaan maken…").count() == 0


def test_researcher_assigns_an_unknown_column_of_an_export_by_keyboard(journey, page,
                                                                       tmp_path):
    export = tmp_path / "scopus.csv"
    export.write_text("Authors,Title,Year,Bron van het stuk\n"
                      '"Liu R., Adler D.G.",Werk met behoud van uitkering,2020,Tijdschrift A\n',
                      encoding="utf-8")
    sign_in_by_keyboard(page, journey, "researcher")
    page.goto(journey.base + "/import/")
    page.get_by_label("Bestand").set_input_files(export)
    activate(page, page.get_by_role("button", name="Voorbeeld bekijken"))

    assert not axe_violations(page), axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    wide = page.evaluate("""[...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 330)
        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 12)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide
    group = page.get_by_role("group", name="Kolommen die niet worden gelezen")
    select = group.get_by_label("Kolom 'Bron van het stuk'")
    tab_to(page, select)
    select.select_option("journal")  # a native select: arrow keys change it the same way
    activate(page, page.get_by_role("button", name="Opnieuw bekijken met deze kolommen"))
    assert page.get_by_label("Kolom 'Bron van het stuk'").input_value() == "journal"

    activate(page, page.get_by_role("button", name="Bevestigen en opslaan"))
    assert page.get_by_text("De import is opgeslagen.").is_visible()
