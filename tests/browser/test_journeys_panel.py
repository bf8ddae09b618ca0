"""The secretary and two reviewers judge a submitted intervention through the pages, each
finding their work on /mijn/: screening, a panel of two chosen in one step, declarations
made knowing whose intervention it is, blind assessments with the dossier at hand, the
discussion that waits (and says why) until both have assessed, a decision confirmed by
both, and publication onto the public page.

The submission itself is made through the services: the owner's part has its own journey
(test_journeys_owner.py)."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.models import User
from registry.schemas.procedure import VersionInputSchema
from registry.services import submission
from tests.browser.journeys import OWNER_ORGANISATION, appraise_every_study, sign_in
from tests.unit.procedure.support import description, link_rct

pytestmark = pytest.mark.browser

TITLE = "Samen Sterk naar Werk"
SUMMARY = "Een vaste jobcoach begeleidt bijstandsgerechtigden naar een betaalde baan."
LEVEL = "Effectief volgens goede aanwijzingen"  # what the linked trial suggests


@pytest.fixture
def submitted(journey) -> str:
    """A submitted intervention with a favourable controlled study; its slug."""
    with journey.app.app_context():
        owner = db.session.get(User, journey.user_ids["owner"])
        data = VersionInputSchema().load(description(title=TITLE, summary=SUMMARY))
        round_ = submission.create_intervention(owner, data)
        link_rct(round_.version.intervention)
        submission.submit(round_, owner)
        slug = round_.version.intervention.slug
        db.session.commit()
    return slug


def _follow(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _press(page, name: str) -> None:
    _follow(page, page.get_by_role("button", name=name))


def _open_from_dashboard(page, section: str) -> None:
    _follow(page, page.get_by_role("link", name="Mijn werk"))
    _follow(page, page.locator(f"#{section}").get_by_role("link", name=TITLE))


def _state(page) -> str:
    return page.locator("#toestand").get_attribute("data-state")


def _flash(page, text: str) -> None:
    assert page.get_by_text(text).is_visible(), f"no message {text!r} on {page.url}"


def _screen_and_assign_panel(page, journey) -> None:
    _open_from_dashboard(page, "te-screenen")
    assert _state(page) == "submitted"
    _press(page, "Screening starten")
    _follow(page, page.get_by_role("link", name="Screenen"))
    criteria = page.get_by_role("group", name="Inclusiecriteria").get_by_role("checkbox")
    for index in range(criteria.count()):
        criteria.nth(index).check()
    page.get_by_label("Toelaten tot beoordeling").check()
    _press(page, "Screening vastleggen")
    _flash(page, "De screening is vastgelegd.")
    _follow(page, page.get_by_role("link", name="Panel samenstellen"))
    for key in ("reviewer_a", "reviewer_b"):
        page.get_by_role("checkbox", name=journey.name(key)).check()
    _press(page, "Gekozen beoordelaars aan het panel toevoegen")
    _flash(page, f"Aan het panel toegevoegd: {journey.name('reviewer_a')}, "
                 f"{journey.name('reviewer_b')}.")


def _declare_and_assess(page, journey, key: str) -> None:
    sign_in(page, journey, key)
    _open_from_dashboard(page, "te-verklaren")
    facts = page.locator(".declaration-facts")
    assert OWNER_ORGANISATION in facts.inner_text(), "the owner is not shown before declaring"
    assert page.locator("#dossier").count() == 0, "the dossier opens before the declaration"
    _press(page, "Ik verklaar dat ik geen belang heb")
    _flash(page, "Dank u. Het dossier is nu voor u geopend.")
    _follow(page, page.get_by_role("link", name="Beoordeling invullen"))
    dossier = page.locator("#dossier")
    assert SUMMARY in dossier.inner_text(), "the assessment page lacks the dossier"
    assert OWNER_ORGANISATION in dossier.inner_text()
    scores = page.locator('.assessment-form input[type="radio"][value="3"]')
    for index in range(scores.count()):
        scores.nth(index).check()
    assert appraise_every_study(page) >= 1, "no effect study to appraise"
    page.get_by_label("Voorgesteld niveau").select_option(label=LEVEL)
    page.get_by_label("Motivering").fill(f"Eén gecontroleerde studie; oordeel van {key}.")
    _press(page, "Beoordeling indienen")
    _flash(page, "Uw beoordeling is ingediend.")


def _confirm_decision(page) -> None:
    _open_from_dashboard(page, "te-bevestigen")
    _press(page, "Ik bevestig dit besluit")
    _flash(page, "U heeft het besluit bevestigd.")


def test_secretary_and_two_reviewers_judge_and_publish_an_intervention(
    journey, submitted, new_page
):
    secretary, reviewer_a, reviewer_b = new_page(), new_page(), new_page()
    sign_in(secretary, journey, "secretary")
    _screen_and_assign_panel(secretary, journey)
    round_url = secretary.url

    _declare_and_assess(reviewer_a, journey, "reviewer_a")
    secretary.goto(round_url)
    assert secretary.get_by_role("button", name="Bespreking openen").count() == 0
    blocked = secretary.locator(".blocked", has_text="Bespreking openen")
    assert blocked.count() == 1, "the round page does not say why discussion cannot open"
    assert "beoordeling" in blocked.inner_text().split(":", 1)[1], "no reason given"

    _declare_and_assess(reviewer_b, journey, "reviewer_b")
    secretary.goto(round_url)
    _press(secretary, "Bespreking openen")
    assert _state(secretary) == "in_discussion"
    _follow(secretary, secretary.get_by_role("link", name="Besluit vastleggen"))
    secretary.get_by_label("Uitkomst").select_option(label=LEVEL)
    secretary.get_by_label("Motivering van de commissie").fill(
        "Eén gecontroleerde studie met een duidelijk effect op betaald werk.")
    _press(secretary, "Verder naar bevestigen")
    assert secretary.get_by_role("heading", name="Dit besluit vastleggen?").is_visible()
    _press(secretary, "Ja, besluit vastleggen")
    assert _state(secretary) == "decided"

    _confirm_decision(reviewer_a)
    _confirm_decision(reviewer_b)
    secretary.goto(round_url)
    _follow(secretary, secretary.get_by_role("link", name="Besluit publiceren…"))
    _press(secretary, "Ja, publiceren")
    assert _state(secretary) == "published"

    secretary.goto(f"{journey.base}/interventies/{submitted}")
    assert secretary.locator("h1").inner_text() == TITLE
    assert secretary.locator(".record__header").get_by_text(LEVEL).first.is_visible()
