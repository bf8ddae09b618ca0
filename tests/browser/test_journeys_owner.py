"""An owner describes an intervention in steps: a draft with only a title, the list of
what is still missing (each item a link to its field), the description filled in, and
the submission confirmed; an owner without an organisation is told why they cannot start."""

from __future__ import annotations

import re

import pytest

from tests.browser.journeys import sign_in

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
