"""A klantmanager uses the diagnosis aid with the keyboard only: from the home page,
through the steps answering with Tab and the arrow keys, to the profile with why and its
short list; back to change an answer. axe-core on a step and on the profile; both fit
320 px."""

from __future__ import annotations

import pytest

from tests.browser.journeys import activate, axe_violations, fits_320, press_and_wait, tab_to

pytestmark = pytest.mark.browser


def _choose(page, label: str) -> None:
    """As a keyboard user does: Tab into the question's radio group (it lands on the
    chosen radio, "Weet ik niet" at first), then arrow keys to the answer."""
    option = page.get_by_label(label, exact=True)
    group = page.locator("fieldset", has=option)
    tab_to(page, group.locator("input:checked"))
    for _press in range(10):
        if option.is_checked():
            return
        page.keyboard.press("ArrowUp")
    raise AssertionError(f"{label!r} not reached with the arrow keys")


def _next(page) -> None:
    activate(page, page.get_by_role("button", name="Volgende stap"))


def test_klantmanager_goes_from_situation_to_short_list_by_keyboard(journey, page):
    page.goto(journey.base + "/")
    activate(page, page.get_by_role("link", name="Handreiking bij diagnose", exact=False))
    assert page.get_by_role("heading", name="Stap 1 van 9: Werk en opleiding").is_visible()
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)
    _choose(page, "Een jaar of langer")
    _next(page)
    for _step in range(2, 4):  # health and care: unknown
        _next(page)
    _choose(page, "Ja")  # step 4: debts
    for _step in range(4, 9):  # housing, language, network, motivation: unknown
        _next(page)
    _choose(page, "Trede 2: sociale contacten buiten de deur, zoals familie, buren of sport.")
    activate(page, page.get_by_role("button", name="Naar het profiel"))

    profile = page.locator("main ul").first.inner_text()
    assert "Schulden" in profile and "Trede 2" in profile
    why = page.get_by_role("table", name="Vraag, antwoord en het kenmerk")
    assert "Heeft de cliënt problematische schulden of grote geldzorgen?" in why.inner_text()
    short_list = page.locator(".result-list .result__title").all_inner_texts()
    assert 1 <= len(short_list) <= 5
    assert not axe_violations(page), axe_violations(page)
    assert fits_320(page)

    activate(page, page.get_by_role("button", name="Antwoorden aanpassen"))
    assert page.get_by_label("Een jaar of langer", exact=True).is_checked()


def test_enter_in_an_answer_goes_to_the_next_step_not_back(journey, page):
    """Enter submits a form with its first button: on every step after the first that
    must be the next step's, or a keyboard user answering and pressing Enter walks
    backwards."""
    page.goto(journey.base + "/zoeken/diagnose?stap=2")
    assert page.get_by_role("heading", name="Stap 2 van 9", exact=False).is_visible()
    page.locator("fieldset input:checked").first.focus()
    press_and_wait(page)
    assert page.get_by_role("heading", name="Stap 3 van 9", exact=False).is_visible()
    page.goto(journey.base + "/zoeken/diagnose?stap=9")
    page.locator("fieldset input:checked").first.focus()
    press_and_wait(page)
    assert page.get_by_role("heading", name="Het profiel van uw cliënt").is_visible()
