"""Accessibility of the public pages, which as a Dutch public-sector site must meet WCAG 2.1 AA:
axe-core on every page, reflow at 320 px, keyboard use of the skip link, the language of
record text, and the pages with JavaScript switched off.

axe-core (bundled by axe-playwright-python) checks only the machine-checkable part of WCAG;
it does not replace a manual audit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.journeys import wait_for_focus

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FIRST_STUDY = "first study linked from /studies"

PUBLIC_PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/interventies", id="interventions"),
    pytest.param("/interventies?pagina=2", id="interventions-page-2"),
    pytest.param("/interventies/ips-werk-en-herstel", id="intervention"),
    pytest.param("/interventies/sollicitatie-sprint-55plus", id="intervention-not-recognised"),
    pytest.param("/studies", id="studies"),
    pytest.param(FIRST_STUDY, id="study"),
    pytest.param("/erkenning", id="recognition"),
    pytest.param("/open-data", id="open-data"),
    pytest.param("/zoeken", id="search"),
    pytest.param("/zoeken?q=schulden", id="search-query"),
    pytest.param("/zoeken?level=effective_strong", id="search-facet"),
    pytest.param("/zoeken/profiel", id="search-profile"),
    pytest.param("/zoeken/profiel?rung=2&goal=schulden", id="search-profile-results"),
    pytest.param("/zoeken?q=werkervaring+opdoen+schulden+regelen", id="search-partial"),
    pytest.param("/zoeken?q=xyzzy+schulden", id="search-empty"),
    pytest.param("/vergelijken?i=ips-werk-en-herstel&i=sollicitatie-sprint-55plus", id="compare"),
    pytest.param("/inloggen", id="login"),
    pytest.param("/deze-pagina-bestaat-niet", id="not-found"),
    pytest.param("/taal/en?next=/", id="home-english"),
]


def _open(page, live_server: str, path: str) -> None:
    if path == FIRST_STUDY:
        page.goto(live_server + "/studies")
        # Wait for the study page itself, not the list we clicked on.
        with page.expect_navigation():
            page.locator("main .result__title a").first.click()
    else:
        page.goto(live_server + path)


def _describe(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {violations[0]['url']}:"] if violations else []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(live_server, page, path):
    _open(page, live_server, path)

    response = Axe().run(page, options=AXE_OPTIONS).response

    violations = [{**violation, "url": response["url"]} for violation in response["violations"]]
    assert not violations, _describe(violations)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_reflows_at_320_css_pixels(live_server, page, path):
    # WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) nothing but tables may scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, live_server, path)

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= 320, f"{page.url} is {width} CSS px wide at a 320 px viewport"


def test_tab_first_focuses_the_skip_link(live_server, page):
    page.goto(live_server + "/interventies")

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#inhoud"
    assert focused.inner_text() == "Naar de inhoud"
    assert focused.is_visible()


def test_skip_link_moves_focus_to_the_main_content(live_server, page):
    page.goto(live_server + "/interventies")
    page.keyboard.press("Tab")

    page.keyboard.press("Enter")

    wait_for_focus(page, "main#inhoud")


@pytest.mark.parametrize(
    ("locale", "path", "selector", "language"),
    [
        pytest.param("en", "/interventies", "main .result__title a", "nl", id="en-interventions"),
        pytest.param(
            "en", "/interventies/ips-werk-en-herstel", "main h1", "nl", id="en-intervention"
        ),
        pytest.param(
            "nl",
            "/interventies/ips-werk-en-herstel",
            "#onderzoek a:text('Individual Placement and Support for people')",
            "en",
            id="nl-english-study-title",
        ),
        pytest.param(
            "en",
            "/zoeken?q=schulden",
            "main .result__title a",
            "nl",
            id="en-search",
        ),
        pytest.param(
            "en",
            "/zoeken/profiel?rung=2&goal=schulden",
            "main .result__title a",
            "nl",
            id="en-search-profile",
        ),
        pytest.param("en", "/zoeken?q=schulden", "main .compare-choice .visually-hidden", "nl",
                     id="en-compare-choice"),
        pytest.param("en", "/werkwijzers/plan-van-aanpak-schulden-en-werk", "main h1", "nl",
                     id="en-guide-title"),
        pytest.param("en", "/werkwijzers/plan-van-aanpak-schulden-en-werk",
                     "main .guide-body p", "nl", id="en-guide-body"),
        pytest.param("en", "/werkwijzers", "main section li a", "nl", id="en-guide-list"),
        pytest.param("en", "/interventies/ips-werk-en-herstel", ".related-guides li a", "nl",
                     id="en-related-guide"),
        pytest.param("en", "/interventies/schulden-eerst-werk-ook", "#ervaringen dd.prose",
                     "nl", id="en-practice-experience"),
        pytest.param("en", "/zoeken/diagnose?stap=10&schulden=ja",
                     "main .result__title a", "nl", id="en-diagnosis-short-list"),
    ],
)
def test_record_text_in_another_language_is_marked(
    live_server, page, locale, path, selector, language
):
    page.goto(f"{live_server}/taal/{locale}?next={quote(path)}")

    marked = page.locator(selector).first.evaluate("element => element.closest('[lang]').lang")

    assert marked == language


@pytest.fixture
def page_without_script(browser) -> Iterator:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _result_count(page) -> int:
    text = page.locator("main .results__count").inner_text()
    return int(re.match(r"\d+", text).group())


def test_search_form_works_without_javascript(live_server, page_without_script):
    page = page_without_script
    page.goto(live_server + "/zoeken")
    page.get_by_label("Zoektekst").fill("schulden")

    with page.expect_navigation():  # click() does not wait for the next page
        page.get_by_role("button", name="Zoeken").click()

    assert "q=schulden" in page.url
    assert _result_count(page) > 0
    assert page.locator("main .result__title a").count() > 0


def test_facet_link_works_without_javascript(live_server, page_without_script):
    page = page_without_script
    page.goto(live_server + "/zoeken")
    facet = page.get_by_role("complementary", name="Filters").get_by_role("link").first
    expected = int(re.search(r"\((\d+)\)", facet.inner_text()).group(1))

    with page.expect_navigation():
        facet.click()

    assert "level=" in page.url
    assert _result_count(page) == expected
