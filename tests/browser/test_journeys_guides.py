"""Werkwijzers in Chromium: a klantmanager reaches a guide from the main menu and its
history by keyboard; a secretary's editor form. axe-core on each, each fits 320 px."""

from __future__ import annotations

import pytest

from tests.browser.journeys import activate, axe_violations, fits_320, sign_in_by_keyboard

pytestmark = pytest.mark.browser


def test_a_guide_and_its_history_by_keyboard(journey, page):
    page.goto(journey.base + "/")
    activate(page, page.get_by_role("link", name="Werkwijzers", exact=True))
    assert not axe_violations(page), axe_violations(page)
    activate(page, page.get_by_role("link", name="Werkwijzer plan van aanpak: schulden en "
                                                  "werk tegelijk"))
    assert page.get_by_role("table").is_visible()  # the guide's Markdown table
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
    activate(page, page.get_by_role("link", name="Eerdere versies en wat er veranderde"))
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)


def test_the_editor_form_is_accessible(journey, page):
    sign_in_by_keyboard(page, journey, "secretary")
    page.goto(journey.base + "/werkwijzers/nieuw")
    assert page.get_by_label("Tekst (Markdown)").is_visible()
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
