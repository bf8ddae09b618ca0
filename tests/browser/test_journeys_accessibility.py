"""axe-core (WCAG 2.1 A and AA, as tests/browser/test_accessibility.py) on the pages the
journeys meet that the public-page check does not open: each role's /mijn/, the owner's
description form and submit confirmation, the secretary's screening, panel, decision,
decision confirmation and publication pages, the reviewer's declaration and assessment
pages with the dossier, the researcher's import pages and undo confirmation, and the
comparison and profile results as a search leads to them.

The rounds and the import batch are put in their states through the services; the pages
are then opened as their users see them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from importers.pipeline import commit_import
from registry.extensions import db
from registry.models import User
from registry.models.procedure import SCREENING_CRITERIA
from registry.schemas.procedure import VersionInputSchema
from registry.services import assessment, decision, screening, submission
from tests.browser.journeys import axe_violations, press_and_wait, sign_in, tab_to
from tests.unit.procedure.support import (
    RATIONALE,
    description,
    full_appraisals,
    full_scores,
    link_rct,
)

pytestmark = pytest.mark.browser

# Each round, its title and how far it goes; titles no other journey uses.
ROUNDS = {
    "title_only": "Toegankelijk A: alleen een titel",
    "draft": "Toegankelijk B: klaar om in te dienen",
    "screening": "Toegankelijk C: in screening",
    "in_review": "Toegankelijk D: in beoordeling",
    "in_discussion": "Toegankelijk E: in bespreking",
    "confirmed": "Toegankelijk F: besluit bevestigd",
}
ORDER = ("draft", "submitted", "screening", "in_review", "in_discussion", "confirmed")
LINKED = "ips-werk-en-herstel"
TITLES = ("een proefstudie naar werkplekleren", "een procesevaluatie van jobcoaching")


def _ris(prefix: str) -> bytes:
    """A RIS file of two new studies whose titles start with `prefix`."""
    records = (f"TY  - JOUR\nAU  - Bakker, Fleur\nTI  - {prefix}: {title}\nPY  - 2022\nER  - \n"
               for title in TITLES)
    return "\n".join(records).encode()


def _reach(round_, users, until: str) -> None:
    """Take a submitted-to-be round through the services up to `until` (see ORDER)."""
    owner, secretary = users["owner"], users["secretary"]
    panel = (users["reviewer_a"], users["reviewer_b"])
    steps = ORDER[1: ORDER.index(until) + 1]
    if "submitted" in steps:
        link_rct(round_.version.intervention)
        submission.submit(round_, owner)
    if "screening" in steps:
        screening.start_screening(round_, secretary)
        # Reviewer B is on the panel but has not declared yet: the declaration page.
        screening.assign_reviewer(round_, secretary, panel[1])
    if "in_review" in steps:
        screening.screen(round_, secretary, list(SCREENING_CRITERIA), "accepted", None)
        screening.assign_reviewer(round_, secretary, panel[0])
        for reviewer in panel:
            screening.declare_no_conflict(round_, reviewer)
        # Only B assesses: A's assessment page stays open, discussion stays blocked.
        _assess(round_, panel[1])
    if "in_discussion" in steps:
        _assess(round_, panel[0])
        decision.open_discussion(round_, secretary)
    if "confirmed" in steps:
        decision.record_decision(round_, secretary, {"outcome": "effective_good",
                                                   "rationale": RATIONALE})
        for reviewer in panel:
            decision.confirm_decision(round_, reviewer)


def _assess(round_, reviewer) -> None:
    assessment.save_assessment(round_, reviewer, {
        "scores": full_scores(round_), "appraisals": full_appraisals(round_),
        "proposed_level": "effective_good",
        "motivation": "Eén gecontroleerde studie van redelijke kwaliteit.", "submit": True})


@pytest.fixture(scope="module")
def ids(journey) -> dict[str, int]:
    """Round ids by state, and the id of a committed import batch ('batch')."""
    found = {}
    with journey.app.app_context():
        users = {key: db.session.get(User, id_) for key, id_ in journey.user_ids.items()}
        for state, title in ROUNDS.items():
            fields = {"title": title} if state == "title_only" else description(title=title)
            round_ = submission.create_intervention(
                users["owner"], VersionInputSchema().load(fields))
            _reach(round_, users, "draft" if state == "title_only" else state)
            found[state] = round_.id
            found["owned_intervention"] = round_.intervention_id
        report = commit_import(io.BytesIO(_ris("Toegankelijk importeren")), "toegankelijk.ris",
                               user_id=users["researcher"].id, channel="upload",
                               link_slugs=(LINKED,))
        found["batch"] = report.batch_id
        db.session.commit()
    return found


PAGES = [
    pytest.param("professional", "/mijn/", id="dashboard-professional"),
    pytest.param("owner", "/mijn/", id="dashboard-owner"),
    pytest.param("owner_without_organisation", "/mijn/", id="dashboard-owner-no-organisation"),
    pytest.param("secretary", "/mijn/", id="dashboard-secretary"),
    pytest.param("reviewer_b", "/mijn/", id="dashboard-reviewer"),
    pytest.param("researcher", "/mijn/", id="dashboard-researcher"),
    pytest.param("admin", "/mijn/", id="dashboard-admin"),
    pytest.param("owner", "/procedure/nieuw", id="description-form"),
    pytest.param("owner_without_organisation", "/procedure/nieuw", id="refused-no-organisation"),
    pytest.param("owner", "/procedure/rondes/{title_only}/indienen", id="submit-incomplete"),
    pytest.param("owner", "/procedure/rondes/{draft}/indienen", id="submit-confirmation"),
    pytest.param("secretary", "/procedure/rondes/{screening}/screening", id="screening"),
    pytest.param("secretary", "/procedure/rondes/{screening}/panel", id="panel"),
    pytest.param("reviewer_b", "/procedure/rondes/{screening}", id="round-declaration"),
    pytest.param("reviewer_a", "/procedure/rondes/{in_review}/beoordeling", id="assessment"),
    pytest.param("secretary", "/procedure/rondes/{in_review}", id="round-discussion-blocked"),
    pytest.param("secretary", "/procedure/rondes/{in_discussion}/besluit", id="decision"),
    pytest.param("secretary", "/procedure/rondes/{confirmed}/publiceren", id="publish-confirm"),
    pytest.param("secretary", "/procedure/belangen", id="conflict-register"),
    pytest.param("secretary", "/procedure/overzicht", id="secretary-dashboard"),
    pytest.param("secretary", "/procedure/interventies/{owned_intervention}/elders-beoordeeld",
                 id="crosswalk"),
    pytest.param("owner", "/procedure/rondes/{draft}/quickscan", id="quickscan"),
    pytest.param("owner", "/procedure/interventies/{owned_intervention}/herbeoordeling",
                 id="reassessment-request"),
    pytest.param("researcher", "/import/", id="import-upload"),
    pytest.param("researcher", "/import/batches/{batch}", id="import-batch"),
    pytest.param("researcher", "/import/batches/{batch}/ongedaan-maken", id="undo-confirmation"),
    pytest.param(None, "/vergelijken?terug=/zoeken?q%3Dde%2Bjobcoach"
                 "&i=ips-werk-en-herstel&i=schulden-eerst-werk-ook", id="compare-from-results"),
    pytest.param(None, "/zoeken/profiel?rung=2&barrier=debt&goal=werk+vinden",
                 id="profile-results"),
    pytest.param(None, "/studies?q=werk&appraisal=high", id="study-search"),
    pytest.param("secretary", "/procedure/voordrachten", id="nomination-queue"),
    pytest.param("professional", "/voordragen", id="nomination-form"),
    pytest.param(None, "/interventies/ips-werk-en-herstel#ervaringen",
                 id="intervention-with-experiences"),
    pytest.param("professional", "/mijn/ervaringen", id="my-experiences"),
    pytest.param("secretary", "/beheer/ervaringen", id="experience-queue"),
    pytest.param(None, "/zoeken?applied_province=gelderland", id="search-applied-in"),
    pytest.param("professional", "/account/tokens", id="api-tokens"),
]


@pytest.fixture(scope="module")
def page_of(browser, journey) -> Iterator:
    """A page signed in as the given user (None: nobody), one per user for the module:
    signing in again for each page would cost more than checking it."""
    pages, contexts = {}, []

    def open_page(user: str | None):
        if user not in pages:
            context = browser.new_context(locale="nl-NL")
            contexts.append(context)
            pages[user] = context.new_page()
            pages[user].set_default_timeout(10_000)
            if user:
                sign_in(pages[user], journey, user)
        return pages[user]

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("user", "path"), PAGES)
def test_journey_page_has_no_wcag_violations(journey, ids, page_of, user, path):
    page = page_of(user)
    response = page.goto(journey.base + path.format(**ids))
    assert response.status < 500

    assert not axe_violations(page), axe_violations(page)


@pytest.mark.parametrize(("user", "path"), [
    ("secretary", "/procedure/overzicht"),
    ("reviewer_a", "/procedure/rondes/{in_review}/beoordeling"),
    ("secretary", "/procedure/rondes/{in_discussion}/besluit"),
    ("secretary", "/procedure/rondes/{screening}/panel"),
    ("owner", "/procedure/rondes/{draft}/quickscan"),
    ("owner", "/procedure/rondes/{draft}/indienen"),
    (None, "/erkenning"),
    (None, "/studies?q=werk&appraisal=high"),
    ("professional", "/voordragen"),
    ("professional", "/account/tokens"),
])
def test_procedure_page_reflows_at_320_css_pixels(journey, ids, page_of, user, path):
    # Charts scale to the column; wide tables scroll inside their own region.
    page = page_of(user)
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        page.goto(journey.base + path.format(**ids))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def test_decision_confirmation_page_has_no_wcag_violations(journey, ids, page_of):
    page = page_of("secretary")
    page.goto(f"{journey.base}/procedure/rondes/{ids['in_discussion']}/besluit")
    page.get_by_label("Uitkomst").select_option("effective_good")
    page.get_by_label("Motivering van de commissie").fill(RATIONALE)
    with page.expect_navigation():
        page.get_by_role("button", name="Verder naar bevestigen").click()
    assert page.get_by_role("button", name="Ja, besluit vastleggen").is_visible()

    assert not axe_violations(page), axe_violations(page)


def test_import_preview_page_has_no_wcag_violations(journey, ids, page_of, tmp_path):
    page = page_of("researcher")
    page.goto(journey.base + "/import/")
    upload = tmp_path / "voorbeeld.ris"
    upload.write_bytes(_ris("Voorbeeld bekijken"))
    page.get_by_label("Bestand").set_input_files(upload)
    with page.expect_navigation():
        page.get_by_role("button", name="Voorbeeld bekijken").click()
    assert page.get_by_role("button", name="Bevestigen en opslaan").is_visible()

    assert not axe_violations(page), axe_violations(page)


def test_a_reviewer_appraises_a_study_with_the_keyboard_only(journey, ids, page_of):
    page = page_of("reviewer_a")
    page.goto(f"{journey.base}/procedure/rondes/{ids['in_review']}/beoordeling")
    study = page.locator("fieldset.appraisal").first

    tab_to(page, study.get_by_label("Gerandomiseerd (RCT)", exact=True))
    page.keyboard.press("ArrowDown")  # a radio group moves and checks with the arrows
    tab_to(page, study.get_by_label("Door loting", exact=True))
    page.keyboard.press("ArrowDown")
    for label, value in (("Totale uitval (%)", "15"),
                         ("Verschil in uitval tussen de groepen (procentpunten)", "3"),
                         ("Verschil tussen de groepen bij de start op de uitkomst (in SD)",
                          "0,04")):
        tab_to(page, study.get_by_label(label))
        page.keyboard.type(value)
    for label in ("Geen", "Valide en betrouwbaar", "Passend"):
        tab_to(page, study.get_by_label(label, exact=True))
        page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Opslaan als concept"))
    press_and_wait(page)

    page.goto(f"{journey.base}/procedure/rondes/{ids['in_review']}/beoordeling")
    study = page.locator("fieldset.appraisal").first
    assert study.get_by_label("Quasi-experimenteel, met vergelijkingsgroep").is_checked()
    assert study.get_by_label("Door matching of een statistisch model").is_checked()
    assert "Voldoet met voorbehoud" in study.locator(".appraisal-proposal").inner_text()
