"""Panels by the level sought over HTTP: the owner chooses the level when submitting, the
admin records a reviewer's expertise, the panel page shows the rule and what it lacks."""

from __future__ import annotations

from registry.extensions import db
from registry.services import accounts, screening, submission
from tests.unit.procedure.support import drive, login, make_cast, make_user


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def test_the_submit_page_offers_the_levels_with_the_quickscans_choice_checked(app):
    cast = make_cast()
    round_ = drive(cast, "draft")
    db.session.commit()
    owner = _client(app, cast.owner)
    page = owner.get(f"/procedure/rondes/{round_.id}/indienen").get_data(as_text=True)
    assert "Welk niveau vraagt u aan?" in page
    # A bare draft reaches no level in the quickscan: "not known yet" is checked.
    assert 'id="level_sought-geen" name="level_sought" value="" checked' in page
    response = owner.post(f"/procedure/rondes/{round_.id}/indienen",
                          data={"level_sought": "well_founded",
                                "lock_version": round_.lock_version})
    assert response.status_code == 302
    db.session.refresh(round_)
    assert (round_.state, round_.level_sought) == ("submitted", "well_founded")


def test_an_unknown_level_is_refused_and_nothing_is_submitted(app):
    cast = make_cast()
    round_ = drive(cast, "draft")
    db.session.commit()
    response = _client(app, cast.owner).post(
        f"/procedure/rondes/{round_.id}/indienen",
        data={"level_sought": "super", "lock_version": round_.lock_version})
    assert response.status_code == 422
    assert "Kies een van de niveaus." in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.state == "draft"


def test_the_admin_records_expertise_on_the_user_page(app):
    admin, reviewer = make_user("admin"), make_user("reviewer")
    db.session.commit()
    client = _client(app, admin)
    page = client.get(f"/beheer/gebruikers/{reviewer.id}").get_data(as_text=True)
    assert 'id="expertise-methodology"' in page
    response = client.post(f"/beheer/gebruikers/{reviewer.id}", data={
        "roles": ["reviewer"], "expertise": ["methodology", "practice"], "active": "true"})
    assert response.status_code == 302
    db.session.refresh(reviewer)
    assert reviewer.expertise == {"methodology", "practice"}
    refused = client.post(f"/beheer/gebruikers/{reviewer.id}", data={
        "roles": ["reviewer"], "expertise": ["astrologie"], "active": "true"})
    assert refused.status_code == 422
    db.session.refresh(reviewer)
    assert reviewer.expertise == {"methodology", "practice"}


def test_the_panel_page_shows_the_rule_and_what_the_panel_lacks(app):
    cast = make_cast()
    round_ = drive(cast, "draft")
    submission.submit(round_, cast.owner, level_sought="effective_good")
    screening.start_screening(round_, cast.secretary)
    accounts.set_expertise(cast.reviewer_a, ["practice"])
    screening.assign_reviewer(round_, cast.secretary, cast.reviewer_a)
    db.session.commit()
    page = _client(app, cast.secretary).get(f"/procedure/rondes/{round_.id}/panel")
    text = page.get_data(as_text=True)
    assert "Aangevraagd niveau: <strong>Effectief volgens goede aanwijzingen</strong>" in text
    assert "3 beoordelaars nodig, het panel heeft er 1" in text
    assert "deskundigheid in methodologie en statistiek" in text
    assert "Praktijk van werk en inkomen" in text  # reviewer A's expertise in the table
