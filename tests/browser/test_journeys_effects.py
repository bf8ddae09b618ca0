"""A klantmanager reads on what an intervention works: from the table of contents to the
effects per outcome domain by keyboard, the forest plot visible and scrollable by keyboard
at 320 px, its table beside it, and no axe-core violations; the rules behind it one link
away."""

from __future__ import annotations

import pytest

from tests.browser.journeys import axe_violations, is_focused, press_and_wait, tab_to

pytestmark = pytest.mark.browser

# A demo intervention with two pooled horizons (work and income).
SLUG = "ips-werk-en-herstel"


def test_the_effects_are_reached_by_keyboard_with_a_forest_plot(journey, page):
    page.goto(f"{journey.base}/interventies/{SLUG}")

    toc = page.locator("nav.toc").get_by_role("link", name="Effect per uitkomstdomein")
    tab_to(page, toc)
    page.keyboard.press("Enter")

    # A jump within the page is no navigation to wait for: wait for the URL itself
    # (asserting page.url at once raced the browser on a slow CI run).
    page.wait_for_url("**#effecten", timeout=5000)
    plot = page.get_by_role("img", name="Forest plot: Werk (uitstroom naar werk)")
    assert plot.is_visible()
    description = page.locator("#forest-work-desc").text_content()
    assert "Gepoolde g =" in description and "k = 2" in description
    assert page.get_by_role("table", name="Bevindingen over Werk (uitstroom naar werk) op "
                                          "één schaal").is_visible()
    assert axe_violations(page) == ""


def test_at_320_px_the_plot_scrolls_in_a_focusable_region_and_the_page_does_not(
        journey, browser):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{journey.base}/interventies/{SLUG}#effecten")
        region = page.locator("#forest-work .forest-scroll")
        tab_to(page, region)

        assert is_focused(page, region)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        before = region.evaluate("el => el.scrollLeft")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
        assert region.evaluate("el => el.scrollLeft") > before
        assert axe_violations(page) == ""
    finally:
        context.close()


def test_the_rules_are_one_link_away(journey, page):
    page.goto(f"{journey.base}/interventies/{SLUG}#effecten")

    tab_to(page, page.get_by_role("link", name="Hoe dit oordeel tot stand komt"))
    press_and_wait(page)

    assert page.url.endswith("/erkenning#effecten")
    assert page.get_by_role("heading", name="Effect per uitkomstdomein: hoe we rekenen"
                            ).is_visible()
