"""Two reviewers code a linked study's findings, blind to each other, and the secretary
decides the one difference: by keyboard, on pages without WCAG violations that reflow at
320 px. The round is brought into review through the services; the coding is the
journey."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.models import User
from registry.models.procedure import SCREENING_CRITERIA
from registry.schemas.procedure import VersionInputSchema
from registry.services import screening, submission
from tests.browser.journeys import axe_violations, press_and_wait, sign_in, tab_to
from tests.factories import StudyFactory, link
from tests.unit.procedure.support import description

pytestmark = pytest.mark.browser

STUDY = "Werk Direct: een gerandomiseerde trial"


@pytest.fixture
def in_review(journey) -> tuple[int, int]:
    """(round id, study id): a round in review with a linked study, reviewers A and B
    on its panel and cleared."""
    with journey.app.app_context():
        users = {k: db.session.get(User, i) for k, i in journey.user_ids.items()}
        round_ = submission.create_intervention(
            users["owner"], VersionInputSchema().load(description(title="Werk Direct")))
        study = StudyFactory(title=STUDY)
        link(round_.version.intervention, study)
        submission.submit(round_, users["owner"])
        screening.start_screening(round_, users["secretary"])
        screening.screen(round_, users["secretary"], list(SCREENING_CRITERIA), "accepted", None)
        for key in ("reviewer_a", "reviewer_b"):
            screening.assign_reviewer(round_, users["secretary"], users[key])
            screening.declare_no_conflict(round_, users[key])
        db.session.commit()
        return round_.id, study.id


def _code_by_keyboard(page, effect: str) -> None:
    """Row 1 by keyboard: a select takes the typed start of its option's text."""
    tab_to(page, page.get_by_label("Uitkomstdomein").first)
    page.keyboard.type("Werk")
    tab_to(page, page.get_by_label("Meetmoment (maanden)").first)
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("Betaald werk na een jaar")
    tab_to(page, page.get_by_label("Effectgrootte").first)
    page.keyboard.type(effect)
    tab_to(page, page.get_by_label("Richting").first)
    page.keyboard.type("Gunstig")
    tab_to(page, page.get_by_role("button", name="Indienen"))
    press_and_wait(page)


def test_two_reviewers_code_and_the_secretary_decides_by_keyboard(journey, page, in_review):
    round_id, study_id = in_review
    page.set_viewport_size({"width": 320, "height": 900})
    for key, effect in (("reviewer_a", "0,35"), ("reviewer_b", "0,40")):
        sign_in(page, journey, key)
        page.goto(f"{journey.base}/procedure/rondes/{round_id}")
        tab_to(page, page.get_by_role("link", name=f"coderen ({STUDY})"))
        press_and_wait(page)
        assert page.get_by_role("heading", level=1).inner_text() == "Bevindingen coderen"
        if key == "reviewer_a":
            assert not axe_violations(page), axe_violations(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
        _code_by_keyboard(page, effect)
        assert page.get_by_text("Uw codering is ingediend.").is_visible()
        assert page.locator("#ingediend").is_visible()

    sign_in(page, journey, "secretary")
    page.goto(f"{journey.base}/procedure/rondes/{round_id}/studies/{study_id}/verschillen")
    assert "(verschilt)" in page.locator("tr.differs").inner_text()
    assert not axe_violations(page), axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Tab reaches a radio group at its first option; an arrow key chooses the next.
    tab_to(page, page.get_by_role("radio", name="A"))
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="B").is_checked()
    tab_to(page, page.get_by_role("button", name="Beslissen"))
    press_and_wait(page)
    assert page.get_by_text("De beslissing is vastgelegd; de bevinding telt mee.").is_visible()
    assert page.get_by_text("Beslist op").is_visible()
