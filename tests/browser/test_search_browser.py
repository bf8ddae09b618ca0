"""A visitor searches, ticks two facet values, opens a result and goes back: the search
text, the ticked values and the results are still there (the state lives in the URL)."""

import pytest

pytestmark = pytest.mark.browser


def _tick_first_free_value(page, facet: str) -> str:
    """Click the first unticked value of a facet; returns its code."""
    link = page.locator(f'.facet[data-facet="{facet}"] a.facet__value:not(.is-selected)')
    value = link.first.get_attribute("data-value")
    with page.expect_navigation():
        link.first.click()
    return value


def _ticked(page) -> set[tuple[str, str]]:
    pairs = set()
    for section in page.locator(".facet").all():
        facet = section.get_attribute("data-facet")
        for link in section.locator("a.facet__value.is-selected").all():
            pairs.add((facet, link.get_attribute("data-value")))
    return pairs


def test_search_facets_result_and_back_keep_the_state(live_server, page):
    page.goto(live_server + "/zoeken")
    page.get_by_label("Zoektekst").fill("werk")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken", exact=True).click()
    assert "q=werk" in page.url

    level = _tick_first_free_value(page, "level")
    setting = _tick_first_free_value(page, "delivery_form")
    expected = {("level", level), ("delivery_form", setting)}
    assert _ticked(page) == expected
    count = page.locator(".results__count").inner_text()
    titles = page.locator(".result__title a").all_inner_texts()
    assert titles, "ticking two values should still leave results in the demo catalogue"

    with page.expect_navigation():
        page.locator(".result__title a").first.click()
    assert "/interventies/" in page.url
    assert titles[0] in page.locator("h1").inner_text()

    page.go_back()
    assert "/zoeken" in page.url
    assert page.get_by_label("Zoektekst").input_value() == "werk"
    assert _ticked(page) == expected
    assert page.locator(".results__count").inner_text() == count
    assert page.locator(".result__title a").all_inner_texts() == titles


def test_a_filter_heading_shows_the_sites_focus_ring_from_the_keyboard(live_server, page):
    """The facet headings (<summary>) take focus like every other control: the 3 px
    outline, not the browser's thin default."""
    page.goto(live_server + "/zoeken?q=werk")
    heading = page.locator(".facet > summary").first
    heading.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # from the keyboard, so :focus-visible applies
    assert heading.evaluate("node => node === document.activeElement")
    assert heading.evaluate("node => getComputedStyle(node).outlineWidth") == "3px"
