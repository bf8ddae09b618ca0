"""A klantmanager looks for interventions with the keyboard only: the skip link, a natural
Dutch query, partial results and ways on, a facet, a result and back, a comparison, a
search by client profile, and the results page on a 320 px wide screen.

No mouse: pages are opened by address only where a journey starts; everything else is
Tab, Shift+Tab, Enter, Space, arrow keys and typing, with the focus checked on the way.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.journeys import is_focused, press_and_wait, tab_to, wait_for_focus

pytestmark = pytest.mark.browser

QUERY = "de jobcoach"  # "de" is a stop word; the catalogue has jobcoaches
QUERY_WITH_UNKNOWN_WORD = "jobcoach paardrijden"  # no intervention mentions horse riding


def _count(page) -> int:
    text = page.locator("main .results__count").inner_text()
    return int(re.match(r"\d+", text).group())


def _result_links(page):
    return page.locator("main ol.result-list > li.result .result__title a")


def _search_by_keyboard(page, journey, query: str) -> None:
    page.goto(journey.base + "/zoeken")
    tab_to(page, page.get_by_label("Zoektekst"))
    page.keyboard.type(query)
    press_and_wait(page)


def test_from_the_home_page_the_skip_link_and_a_typed_query_lead_to_results(journey, page):
    page.goto(journey.base + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert is_focused(page, skip) and skip.is_visible(), "first Tab should show the skip link"
    page.keyboard.press("Enter")
    wait_for_focus(page, "#inhoud")
    tab_to(page, page.locator("main a[href='/zoeken']").first)
    press_and_wait(page)
    assert page.url.endswith("/zoeken")
    tab_to(page, page.get_by_label("Zoektekst"))
    page.keyboard.type(QUERY)
    press_and_wait(page)

    assert "q=de+jobcoach" in page.url
    assert _count(page) > 0, f"{QUERY!r} found nothing"
    assert _result_links(page).count() > 0


@pytest.mark.parametrize("query", [
    "een baan vinden met een jobcoach",
    "werkervaring opdoen en schulden regelen",
])
def test_a_natural_query_with_stop_words_finds_interventions(journey, page, query):
    _search_by_keyboard(page, journey, query)

    # All the words together may match nothing; then those with most of them follow.
    found = page.locator("main .result-list .result__title a")
    assert found.count() > 0, page.locator("main .results__count").inner_text()


def test_a_word_the_catalogue_lacks_gives_partial_results_and_ways_on(journey, page):
    _search_by_keyboard(page, journey, QUERY_WITH_UNKNOWN_WORD)

    partial = page.get_by_role("region", name="Interventies met een deel van uw zoekwoorden")
    assert partial.is_visible()
    assert partial.locator(".result__title a").count() > 0
    fewer_words = page.get_by_role("link", name="zonder „paardrijden”")
    to_profile = page.get_by_role("link", name="zoeken op cliëntprofiel", exact=True)
    assert "goal=jobcoach" in to_profile.get_attribute("href")
    tab_to(page, fewer_words)
    press_and_wait(page)
    assert page.get_by_label("Zoektekst").input_value() == "jobcoach"
    assert _count(page) > 0


def test_a_facet_ticked_by_keyboard_narrows_the_results(journey, page):
    _search_by_keyboard(page, journey, QUERY)
    total = _count(page)
    values = page.locator("aside a.facet__value:not(.is-selected)")
    counts = [int(re.search(r"\((\d+)\)", text).group(1)) for text in values.all_inner_texts()]
    narrower = next(i for i, count in enumerate(counts) if 0 < count < total)
    value = values.nth(narrower)
    code = value.get_attribute("data-value")

    tab_to(page, value)
    press_and_wait(page)

    assert _count(page) == counts[narrower] < total
    ticked = page.locator(f'aside a.facet__value[data-value="{code}"]')
    assert ticked.get_attribute("aria-current") == "true"
    assert page.get_by_label("Zoektekst").input_value() == QUERY


def test_back_to_the_results_from_a_result_keeps_the_query(journey, page):
    _search_by_keyboard(page, journey, QUERY)
    titles = _result_links(page).all_inner_texts()
    tab_to(page, _result_links(page).first)
    press_and_wait(page)
    assert page.locator("h1").inner_text() == titles[0]

    tab_to(page, page.get_by_role("link", name="Terug naar de resultaten"))
    press_and_wait(page)

    assert "/zoeken?" in page.url and "q=de+jobcoach" in page.url
    assert page.get_by_label("Zoektekst").input_value() == QUERY
    assert _result_links(page).all_inner_texts() == titles


def test_two_results_chosen_with_the_space_bar_are_compared(journey, page):
    _search_by_keyboard(page, journey, QUERY)
    titles = _result_links(page).all_inner_texts()[:2]
    for title in titles:
        choice = page.get_by_role("checkbox", name=f"Vergelijk {title}")
        tab_to(page, choice)
        page.keyboard.press("Space")
        assert choice.is_checked(), f"Space did not tick the comparison box of {title}"

    tab_to(page, page.get_by_role("button", name="Vergelijk gekozen interventies"))
    press_and_wait(page)

    assert "/vergelijken" in page.url
    assert page.locator("table.compare thead th").all_inner_texts() == titles
    assert page.get_by_role("link", name="Terug naar de resultaten").is_visible()


def test_a_profile_search_by_keyboard_groups_results_by_fit(journey, page):
    _search_by_keyboard(page, journey, QUERY)
    tab_to(page, page.locator("main").get_by_role("link", name="Zoeken op cliëntprofiel"))
    press_and_wait(page)
    rung = page.get_by_role("combobox", name="Trede participatieladder")
    tab_to(page, rung)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert rung.input_value() == "2"
    debt = page.get_by_role("checkbox", name="Schulden", exact=True)
    tab_to(page, debt)
    page.keyboard.press("Space")
    assert debt.is_checked()
    tab_to(page, page.get_by_label(re.compile("^Doel van de cliënt")))
    page.keyboard.type("werk vinden")
    tab_to(page, page.get_by_role("button", name="Zoek passende interventies"))

    press_and_wait(page)

    assert "rung=2" in page.url and "barrier=debt" in page.url
    fits = page.locator("main .result__fit").all_inner_texts()
    assert fits and all(re.match(r"Past (goed|deels|niet)\. Past op \d van 2 kenmerken", fit)
                        for fit in fits), fits
    assert not re.search(r"\bscore\b", page.locator("main").inner_text(), re.IGNORECASE)


def test_every_profile_result_is_reachable_through_a_pager(journey, page):
    page.goto(journey.base + "/zoeken/profiel?rung=2&barrier=debt&goal=werk")
    total = _count(page)
    assert total > page.locator("main .result__title a").count(), "fits on one page: no test"

    pager = page.get_by_role("link", name="Volgende pagina")
    assert pager.count() == 1, "no link to the next page of results"
    tab_to(page, pager, limit=150)
    press_and_wait(page)

    assert "pagina=2" in page.url


def test_at_320_px_the_results_come_before_the_filters_and_nothing_scrolls_sideways(
    journey, page
):
    page.set_viewport_size({"width": 320, "height": 640})
    _search_by_keyboard(page, journey, QUERY)
    first = _result_links(page).first
    filters = page.get_by_role("complementary", name="Filters")

    in_filters = []
    for _press in range(60):
        page.keyboard.press("Tab")
        if is_focused(page, first):
            break
        in_filters.append(page.evaluate("!!document.activeElement.closest('aside')"))
    else:
        pytest.fail("the first result was not reached with 60 presses of Tab")

    assert not any(in_filters), "Tab passes through the filters before the first result"
    assert first.evaluate(
        "(a, aside) => !!(a.compareDocumentPosition(aside) & Node.DOCUMENT_POSITION_FOLLOWING)",
        filters.element_handle(),
    ), "the filters come before the first result in the page"
    assert first.bounding_box()["y"] < filters.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
