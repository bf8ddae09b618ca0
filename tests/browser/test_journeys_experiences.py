"""A klantmanager shares a practice experience and the secretary publishes it, keyboard
only: from the intervention page to the form (the municipality chosen by typing in the
CBS list), a refused participant count with its message, the experience waiting in
"Mijn gedeelde ervaringen"; the secretary's queue, the review and "Publiceren"; then the
public page shows it under "Ervaringen uit de praktijk". axe-core on each page; each
fits 320 px."""

from __future__ import annotations

import pytest

from tests.browser.journeys import activate, axe_violations, fits_320, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.browser

SLUG = "werkfit-jongeren-traject"
SEEN = "Jongeren kwamen vaker op de afspraken als de coach ze vooraf een bericht stuurde."


def _type(page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(label, exact=True))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _check(page) -> None:
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)


def test_an_experience_is_shared_and_published_by_keyboard(journey, page, new_page):
    sign_in_by_keyboard(page, journey, "professional")
    page.goto(f"{journey.base}/interventies/{SLUG}")
    activate(page, page.get_by_role("link", name="Deel uw ervaring met deze interventie"))
    _check(page)

    tab_to(page, page.get_by_label("Gemeente", exact=True))
    page.keyboard.type("Zwolle")
    _type(page, "Begonnen op", "2024-02-01")
    _type(page, "Aantal deelnemers", "0")
    _type(page, "Doelgroep", "Jongeren van 18 tot 27 zonder startkwalificatie")
    _type(page, "Wat zag u", SEEN)
    activate(page, page.get_by_role("button", name="Ervaring versturen"))
    assert page.get_by_label("Gemeente", exact=True).input_value() == "GM0193"
    assert page.get_by_label("Aantal deelnemers").get_attribute("aria-invalid") == "true"
    assert page.locator("#participants-fouten").is_visible()
    _check(page)

    _type(page, "Aantal deelnemers", "25")
    activate(page, page.get_by_role("button", name="Ervaring versturen"))
    assert page.get_by_role("heading", name="Mijn gedeelde ervaringen").is_visible()
    assert page.get_by_text("Wacht op beoordeling").is_visible()
    _check(page)

    secretary = new_page()
    sign_in_by_keyboard(secretary, journey, "secretary")
    activate(secretary, secretary.get_by_role("link", name="Ervaringen uit de praktijk "
                                                            "beoordelen"))
    _check(secretary)
    activate(secretary, secretary.get_by_role("link", name="Zwolle (Overijssel)"))
    assert secretary.get_by_text(SEEN).is_visible()
    _check(secretary)
    tab_to(secretary, secretary.get_by_label("Publiceren", exact=True))
    secretary.keyboard.press("Space")
    activate(secretary, secretary.get_by_role("button", name="Besluit vastleggen"))
    assert secretary.get_by_text("De ervaring is gepubliceerd.").is_visible()

    reader = new_page()
    reader.goto(f"{journey.base}/interventies/{SLUG}")
    section = reader.locator("#ervaringen")
    assert section.get_by_role("heading", name="Ervaringen uit de praktijk").is_visible()
    assert "Zwolle (Overijssel)" in section.inner_text() and SEEN in section.inner_text()
    _check(reader)
