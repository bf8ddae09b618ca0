"""An owner describes an intervention in steps: a draft with only a title, the list of
what is still missing (each item a link to its field), the description filled in, and
the submission confirmed; an owner without an organisation is told why they cannot start."""

from __future__ import annotations

import re

import pytest

from tests.browser.journeys import press_and_wait, sign_in, tab_to

pytestmark = pytest.mark.browser

TITLE = "Werkfit Zuid: samen naar een baan"
MISSING = ["Korte samenvatting", "Hoofddoel", "Doelgroep", "Aanpak"]
TEXTS = {
    "Korte samenvatting": "Een jobcoach begeleidt deelnemers in zes maanden naar betaald werk.",
    "Hoofddoel": "Deelnemers vinden duurzaam betaald werk.",
    "Doelgroep": "Bijstandsgerechtigden met een afstand tot de arbeidsmarkt.",
    "Aanpak": "Wekelijkse gesprekken en begeleiding op de werkplek.",
}


def _follow(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _field(page, label: str):
    # The label also carries "(nodig om in te dienen)" for screen readers.
    return page.get_by_role("textbox", name=re.compile(rf"^{label}\b"))


def test_owner_saves_a_title_only_draft_fills_in_what_is_missing_and_submits(journey, page):
    sign_in(page, journey, "owner")
    _follow(page, page.get_by_role("link", name="Mijn werk"))
    _follow(page, page.get_by_role("link", name="Nieuwe interventie beschrijven"))
    _field(page, "Titel").fill(TITLE)
    _follow(page, page.get_by_role("button", name="Concept opslaan"))
    assert page.get_by_text("Het concept is opgeslagen.").is_visible()
    assert page.locator("#toestand").get_attribute("data-state") == "draft"

    _follow(page, page.get_by_role("link", name="Indienen…"))
    missing = page.get_by_role("alert").get_by_role("link")
    assert missing.all_inner_texts() == MISSING
    assert page.get_by_role("button", name="Ja, indienen").count() == 0
    _follow(page, missing.first)
    assert page.locator(":target").get_attribute("name") == "summary", "link to the field"
    for label, text in TEXTS.items():
        _field(page, label).fill(text)
    _follow(page, page.get_by_role("button", name="Concept opslaan"))
    _follow(page, page.get_by_role("link", name="Indienen…"))
    assert page.get_by_role("heading", name="Deze beschrijving indienen?").is_visible()
    _follow(page, page.get_by_role("button", name="Ja, indienen"))

    assert page.get_by_text("De interventie is ingediend.").is_visible()
    state = page.locator("#toestand")
    assert state.get_attribute("data-state") == "submitted"
    assert state.inner_text().lower() == "ingediend"


def test_an_owner_without_organisation_is_told_why_they_cannot_describe_one(journey, page):
    sign_in(page, journey, "owner_without_organisation")

    response = page.goto(journey.base + "/procedure/nieuw")

    assert response.status == 403
    reason = page.locator("main").inner_text()
    assert "aan een organisatie gekoppeld" in reason, reason


def test_the_dashboard_of_an_owner_without_organisation_says_what_is_needed(journey, page):
    sign_in(page, journey, "owner_without_organisation")

    _follow(page, page.get_by_role("link", name="Mijn werk"))

    assert page.get_by_role("link", name="Nieuwe interventie beschrijven").count() == 0
    assert page.get_by_text("zodra een beheerder uw account aan uw organisatie").is_visible()


def test_owner_runs_the_quickscan_and_asks_advice_by_keyboard_at_320_px(journey, page):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, journey, "owner")
    page.goto(journey.base + "/procedure/nieuw")
    _field(page, "Titel").fill("Quickscan Noord")
    _follow(page, page.get_by_role("button", name="Concept opslaan"))

    tab_to(page, page.get_by_role("link", name="Quickscan en advies"))
    press_and_wait(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Quickscan: Quickscan Noord"
    assert page.locator("#binnen-bereik").inner_text() == "Nog geen niveau binnen bereik."
    missing = page.get_by_role("list", name="Wat ontbreekt voor Goed beschreven")
    assert "Duur en intensiteit zijn beschreven" in missing.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    question = page.get_by_role("textbox", name="Uw vraag aan het secretariaat")
    tab_to(page, question)
    page.keyboard.type("Telt een pilot in één gemeente als gebruik op twee plaatsen?")
    tab_to(page, page.get_by_role("button", name="Vraag versturen"))
    press_and_wait(page)
    assert page.get_by_text("Uw vraag is naar het secretariaat gestuurd.").is_visible()
    thread = page.get_by_role("article")
    assert thread.count() == 1
    assert "pilot in één gemeente" in thread.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
