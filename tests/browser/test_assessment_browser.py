"""A reviewer signs in with headless Chromium and submits an assessment through the form
(CSRF protection on, as in production)."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from registry.extensions import db
from registry.models import Assessment
from registry.services.vocabularies import load_vocabularies
from tests.browser.journeys import appraise_every_study
from tests.conftest import make_test_app
from tests.unit.procedure.support import PASSWORD, drive, make_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def review_server(tmp_path, browser):
    """A live server on its own SQLite file with one round in review."""
    app = make_test_app(f"sqlite:///{tmp_path / 'review.sqlite'}", tmp_path,
                        WTF_CSRF_ENABLED=True)
    saved = db.session
    # The per-test session is bound to the shared test database; the server needs its own.
    db.session = db._make_scoped_session({})
    with app.app_context():
        upgrade()
        load_vocabularies()
        cast = make_cast()
        round_ = drive(cast, "in_review")
        db.session.commit()
        world = {"round_id": round_.id, "email": cast.reviewer_a.email,
                 "reviewer_id": cast.reviewer_a.id}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}", world
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db.session = saved


def test_reviewer_submits_an_assessment_through_the_form(review_server, page):
    app, base, world = review_server
    page.goto(base + "/inloggen")
    page.get_by_label("E-mailadres").fill(world["email"])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(base + "/mijn/")
    page.locator("#te-beoordelen").get_by_role("link").first.click()
    page.get_by_role("link", name="Beoordeling invullen").click()
    # click() does not wait for the next page: counting the radios before it has loaded
    # found none on a loaded machine, and the form went off without scores (422).
    page.wait_for_url("**/beoordeling")
    radios = page.locator('input[type="radio"][value="3"]')
    radios.first.wait_for()
    for index in range(radios.count()):
        radios.nth(index).check()
    appraise_every_study(page)
    page.get_by_label("Voorgesteld niveau").select_option("effective_good")
    page.get_by_label("Motivering").fill("Eén gecontroleerde studie van redelijke kwaliteit.")
    with page.expect_navigation():
        page.get_by_role("button", name="Beoordeling indienen").click()

    assert page.get_by_text("Uw beoordeling is ingediend.").is_visible()
    with app.app_context():
        saved = db.session.scalars(db.select(Assessment)).one()
        assert (saved.reviewer_id, saved.proposed_level, saved.submitted_at is not None) == (
            world["reviewer_id"], "effective_good", True)
        assert [(a.baseline_difference, a.rating) for a in saved.appraisals] == [
            (0.04, "meets_with_reservations")]
