"""A klantmanager saves a client profile with the keyboard only: from the profile search
results to the save form, a label with a citizen service number refused with a clear
message, a plain label saved, then the profile among "Mijn bewaarde profielen" and
deleted. axe-core on each page; each fits 320 px."""

from __future__ import annotations

import pytest

from tests.browser.journeys import activate, axe_violations, fits_320, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.browser


def _type_label(page, text: str) -> None:
    field = page.get_by_label("Label", exact=True)
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_klantmanager_saves_a_profile_and_deletes_it_by_keyboard(journey, page):
    sign_in_by_keyboard(page, journey, "professional")
    page.goto(journey.base + "/zoeken/profiel?rung=2&barrier=debt")
    activate(page, page.get_by_role("link", name="Dit profiel bewaren"))
    assert "Belemmeringen: Schulden" in page.locator("main").inner_text()

    _type_label(page, "Cliënt 111222333")
    activate(page, page.get_by_role("button", name="Profiel bewaren"))
    assert "burgerservicenummer" in page.locator("#label-fouten").inner_text()
    assert page.get_by_label("Label", exact=True).get_attribute("aria-invalid") == "true"
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)

    _type_label(page, "Schulden, trede 2")
    activate(page, page.get_by_role("button", name="Profiel bewaren"))
    assert page.get_by_role("heading", name="Schulden, trede 2").is_visible()
    assert page.get_by_text("Het profiel is bewaard.").is_visible()
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)

    activate(page, page.get_by_role("link", name="Mijn bewaarde profielen"))
    assert not axe_violations(page), axe_violations(page)
    activate(page, page.get_by_role("button", name="Verwijderen Schulden, trede 2"))
    assert page.get_by_text("Het profiel is verwijderd.").is_visible()
    assert page.get_by_text("U heeft nog geen profielen bewaard.").is_visible()


def test_a_refused_sign_in_takes_the_focus_to_what_went_wrong(journey, page):
    """A wrong password: focus on the error summary (as on every refused form), whose
    link leads to the e-mail field, which names the message."""
    from tests.browser.journeys import press_and_wait, wait_for_focus

    page.goto(journey.base + "/inloggen")
    tab_to(page, page.get_by_label("E-mailadres"))
    page.keyboard.type(journey.email("professional"))
    page.keyboard.press("Tab")
    page.keyboard.type("niet-het-wachtwoord")
    press_and_wait(page)

    wait_for_focus(page, ".error-summary")
    assert "klopt niet" in page.locator(".error-summary").inner_text()
    activate(page, page.locator(".error-summary a"))
    wait_for_focus(page, "#email")
    assert page.get_by_label("E-mailadres").get_attribute("aria-invalid") == "true"
    assert not axe_violations(page), axe_violations(page)
