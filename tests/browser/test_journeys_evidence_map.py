"""A researcher looks for gaps in the evidence: the map from the main menu by keyboard,
columns switched to barriers, a cell followed to exactly the search it counts; the table
scrolls in its own region at 320 px; axe-core finds nothing."""

from __future__ import annotations

import re

import pytest

from tests.browser.journeys import axe_violations, is_focused, press_and_wait, tab_to

pytestmark = pytest.mark.browser


def test_the_map_by_keyboard_to_the_search_a_cell_counts(journey, page):
    page.goto(journey.base + "/")
    tab_to(page, page.get_by_role("navigation", name="Hoofdmenu")
           .get_by_role("link", name="Bewijskaart"))
    press_and_wait(page)
    assert page.url.endswith("/bewijskaart")
    assert axe_violations(page) == ""

    tab_to(page, page.get_by_role("radio", name="Doelgroep"))
    page.keyboard.press("ArrowRight")  # to "Belemmeringen"
    tab_to(page, page.get_by_role("button", name="Toon de kaart"))
    press_and_wait(page)
    assert "columns=barrier" in page.url
    assert page.get_by_role("columnheader", name="Schulden").is_visible()

    cell = page.locator("td.gap-map__cell a").first
    count = int(re.match(r"\d+", cell.inner_text()).group())
    tab_to(page, cell)
    press_and_wait(page)
    assert "/zoeken?" in page.url and "outcome_domain=" in page.url
    total = page.locator("main .results__count").inner_text()
    assert int(re.match(r"\d+", total).group()) == count
    assert page.locator("td.gap-map__cell--gap").count() == 0  # left the map


def test_at_320_px_the_grid_scrolls_in_its_region(journey, browser):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto(journey.base + "/bewijskaart")
        region = page.get_by_role("region", name=re.compile("Uitkomstdomein"))
        tab_to(page, region)

        assert is_focused(page, region)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert page.locator("td.gap-map__cell--gap").count() > 0  # the demo has gaps
        assert axe_violations(page) == ""
    finally:
        context.close()
