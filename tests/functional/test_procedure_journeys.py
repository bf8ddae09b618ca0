"""The procedure's pages without dead ends: drafts save incomplete, submission lists
what is missing, the dossier is in front of whoever judges it, forms keep what was
typed, irreversible steps ask first, and steps that cannot happen yet say why."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.models import AssessmentRound, InterventionVersion
from tests.unit.procedure.support import drive, login, make_cast


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# --- owner ---------------------------------------------------------------------------


def test_a_draft_saves_with_only_a_title(client, cast):
    login(client, cast.owner)
    response = client.post("/procedure/nieuw", data={"title": "Alleen een titel"})
    assert response.status_code == 302
    assert db.session.query(InterventionVersion).filter_by(title="Alleen een titel").one()


def test_submitting_an_incomplete_draft_lists_what_is_missing_with_links(client, cast):
    login(client, cast.owner)
    client.post("/procedure/nieuw", data={"title": "Half af", "summary": "Kort."})
    round_ = db.session.query(AssessmentRound).one()

    page = _page(client, f"/procedure/rondes/{round_.id}/indienen")

    assert "Nog niet compleet" in page
    assert f"/procedure/rondes/{round_.id}/beschrijving#main_aim" in page
    assert "Ja, indienen" not in page
    refused = client.post(f"/procedure/rondes/{round_.id}/indienen")
    assert refused.status_code == 409


def test_submitting_asks_first(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    page = _page(client, f"/procedure/rondes/{round_.id}")
    assert f'href="/procedure/rondes/{round_.id}/indienen"' in page
    assert "Ja, indienen" in _page(client, f"/procedure/rondes/{round_.id}/indienen")


def test_withdrawing_asks_first_with_a_reason_field(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    page = _page(client, f"/procedure/rondes/{round_.id}/intrekken")
    assert "Ja, intrekken" in page and 'name="note"' in page


def test_withdrawing_a_published_intervention_takes_it_off_the_public_register(client, cast):
    round_ = drive(cast, "published")
    slug = round_.version.intervention.slug
    db.session.commit()
    assert client.get(f"/interventies/{slug}").status_code == 200
    login(client, cast.owner)

    response = client.post(f"/procedure/rondes/{round_.id}/intrekken",
                           data={"note": "Wij bieden de interventie niet meer aan."})

    intervention = round_.version.intervention
    assert response.status_code == 302
    assert (intervention.published_version, intervention.current_decision) == (None, None)
    assert round_.version.status == "withdrawn"
    assert client.get(f"/interventies/{slug}").status_code == 404
    assert slug not in client.get("/api/v1/interventions?per_page=100").get_data(as_text=True)


# --- reviewers -----------------------------------------------------------------------


def test_a_reviewer_is_told_whose_intervention_it_is_before_declaring(client, cast):
    round_ = drive(cast, "screening")
    from registry.services import screening

    screening.assign_reviewer(round_, cast.secretary, cast.reviewer_a)
    db.session.commit()
    login(client, cast.reviewer_a)
    page = _page(client, f"/procedure/rondes/{round_.id}")
    assert cast.organisation.name in page and "Van wie is deze interventie?" in page


def test_the_assessment_form_shows_the_dossier(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.reviewer_a)
    page = _page(client, f"/procedure/rondes/{round_.id}/beoordeling")
    version = round_.version
    assert version.main_aim in page and version.approach in page
    assert cast.organisation.name in page and 'id="onderzoek"' in page


def test_a_refused_assessment_keeps_what_was_typed_and_names_fields(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.reviewer_a)
    response = client.post(f"/procedure/rondes/{round_.id}/beoordeling", data={
        "score-description": "3", "motivation": "Mijn halve motivering", "action": "submit"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mijn halve motivering" in page
    assert 'id="score-description-3" name="score-description" value="3" checked' in page
    assert 'href="#score-theory-1">Veranderingstheorie' in page and "scores.theory" not in page


def test_the_discussion_is_not_offered_while_reviewers_are_working(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.secretary)
    page = _page(client, f"/procedure/rondes/{round_.id}")
    assert "Nog niet alle beoordelaars hebben hun beoordeling ingediend (nog niet: " in page
    assert cast.reviewer_a.name in page
    assert f'action="/procedure/rondes/{round_.id}/bespreking"' not in page


# --- secretary -----------------------------------------------------------------------


def test_the_decision_page_summarises_the_proposals_and_preselects_nothing(client, cast):
    round_ = drive(cast, "in_discussion")
    db.session.commit()
    login(client, cast.secretary)
    page = _page(client, f"/procedure/rondes/{round_.id}/besluit")
    assert cast.reviewer_a.name in page and cast.reviewer_b.name in page
    assert '<option value="">– kies –</option>' in page and "selected" not in page.split(
        'id="outcome"')[1].split("</select>")[0]


def test_recording_a_decision_asks_first_then_records(client, cast):
    round_ = drive(cast, "in_discussion")
    db.session.commit()
    login(client, cast.secretary)
    data = {"outcome": "effective_good", "rationale": "Twee goede studies van redelijke kwaliteit.",
            "lock_version": str(round_.lock_version)}
    url = f"/procedure/rondes/{round_.id}/besluit"

    asked = client.post(url, data=data)

    assert asked.status_code == 200 and "Ja, besluit vastleggen" in asked.get_data(as_text=True)
    assert db.session.get(AssessmentRound, round_.id).state == "in_discussion"
    assert client.post(url, data={**data, "bevestigd": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(AssessmentRound, round_.id).state == "decided"


def test_publishing_asks_first(client, cast):
    round_ = drive(cast, "confirmed")
    db.session.commit()
    login(client, cast.secretary)
    page = _page(client, f"/procedure/rondes/{round_.id}/publiceren")
    assert "Ja, publiceren" in page




def test_the_secretary_is_told_of_a_submission(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    login(client, cast.secretary)
    page = _page(client, "/mijn/")
    assert "Er is een interventie ingediend die op screening wacht." in page
    assert f"/procedure/rondes/{round_.id}" in page


def test_an_owner_answers_the_screening_remarks_in_writing(client, cast):
    from registry.services import screening

    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Vul de kosten aan.")
    db.session.commit()
    login(client, cast.owner)
    confirm = _page(client, f"/procedure/rondes/{round_.id}/indienen")
    assert "Vul de kosten aan." in confirm and 'name="answer"' in confirm

    client.post(f"/procedure/rondes/{round_.id}/indienen",
                data={"answer": "De kosten staan nu bij Uitvoering.",
                      "lock_version": str(round_.lock_version)})

    login(client, cast.secretary)
    page = _page(client, f"/procedure/rondes/{round_.id}")
    assert "De kosten staan nu bij Uitvoering." in page


def test_a_refused_screening_names_the_criteria_not_ticked(client, cast):
    round_ = drive(cast, "screening")
    db.session.commit()
    login(client, cast.secretary)
    response = client.post(f"/procedure/rondes/{round_.id}/screening", data={
        "outcome": "accepted", "remarks": "Bijna", "lock_version": str(round_.lock_version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nog niet afgevinkt:" in page
    assert ">Bijna</textarea>" in page and 'value="accepted" required checked' in page


def test_the_secretary_assigns_two_reviewers_in_one_step(client, cast):
    round_ = drive(cast, "screening")
    db.session.commit()
    login(client, cast.secretary)
    response = client.post(f"/procedure/rondes/{round_.id}/panel", data={
        "reviewer_id": [str(cast.reviewer_a.id), str(cast.reviewer_b.id)]})
    assert response.status_code == 302
    assert {m.user_id for m in round_.panel} == {cast.reviewer_a.id, cast.reviewer_b.id}


@pytest.mark.parametrize("value", ["", str(2**63 + 5), "x"])
def test_a_panel_form_without_a_real_reviewer_is_refused_not_a_500(client, cast, value):
    round_ = drive(cast, "screening")
    db.session.commit()
    login(client, cast.secretary)
    data = {"reviewer_id": value} if value else {}
    response = client.post(f"/procedure/rondes/{round_.id}/panel", data=data)
    assert response.status_code in (404, 422)


def test_a_huge_version_number_in_the_diff_url_is_no_500(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    login(client, cast.owner)
    url = f"/procedure/interventies/{round_.intervention_id}/versies?van={2**63 + 5}"
    assert client.get(url).status_code in (200, 404)


def test_the_dashboard_offers_a_researcher_the_import(client):
    from tests.unit.procedure.support import make_user

    login(client, make_user("researcher"))
    page = _page(client, "/mijn/")
    assert 'href="/import/"' in page and 'href="/import/dubbelen"' in page


def test_a_refused_description_names_its_fields_by_label_in_a_summary(client, cast):
    login(client, cast.owner)
    response = client.post("/procedure/nieuw", data={"title": "Met fout",
                                                     "contact_email": "geen-adres"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#contact_email">E-mailadres contactpersoon' in page
    assert 'value="geen-adres"' in page


@pytest.mark.parametrize("lock", ["abc", "1.5", "-1", "9" * 40])
def test_a_damaged_lock_version_is_refused_not_a_500(client, cast, lock):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    response = client.post(f"/procedure/rondes/{round_.id}/indienen", data={"lock_version": lock})
    assert response.status_code in (409, 422)
