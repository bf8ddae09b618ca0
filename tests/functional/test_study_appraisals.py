"""The panel's appraisal of effect studies: blind inside the assessment, complete before
submission, an override only with a reason, the agreed rating in the decision, the
study's quality on publication, kappa per criterion, and the evidence API."""

from __future__ import annotations

import pytest

from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import AgreedAppraisal, StudyAppraisal
from registry.services import assessment, decision
from registry.services.accounts import create_api_token
from registry.services.agreement import criterion_agreements
from registry.services.appraisal import appraised_studies
from tests.unit.procedure.support import (
    APPRAISAL_ANSWERS,
    RATIONALE,
    drive,
    full_scores,
    login,
    make_cast,
)

WITH = "meets_with_reservations"
WITHOUT = "meets_without_reservations"
FAILS = "does_not_meet"
SECRET = "Uitleg van beoordelaar A die B niet mag zien: de matching is zwak."


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def _study(round_):
    (study,) = appraised_studies(round_)
    return study


def _assess(round_, reviewer, answers_for=WITH, submit=True, **answers):
    given = {**APPRAISAL_ANSWERS[answers_for], **answers}
    return assessment.save_assessment(round_, reviewer, {
        "scores": full_scores(round_), "appraisals": {_study(round_).id: given},
        "proposed_level": "effective_good", "motivation": "Zie dossier.", "submit": submit})


def _assessed(cast, rating_a=WITH, rating_b=WITH):
    round_ = drive(cast, "in_review")
    _assess(round_, cast.reviewer_a, rating_a)
    _assess(round_, cast.reviewer_b, rating_b)
    decision.open_discussion(round_, cast.secretary)
    return round_


def _decide(round_, cast, appraisals=None):
    return decision.record_decision(round_, cast.secretary, {
        "outcome": "effective_good", "rationale": RATIONALE,
        "study_appraisals": appraisals or {}})


def test_submission_names_every_unanswered_question_of_each_study(cast):
    round_ = drive(cast, "in_review")

    with pytest.raises(ValidationFailed) as refused:
        assessment.save_assessment(round_, cast.reviewer_a, {
            "scores": full_scores(round_), "appraisals": {_study(round_).id: {"design": "rct"}},
            "proposed_level": "effective_good", "motivation": "Zie dossier.", "submit": True})

    study_id = _study(round_).id
    assert [d["field"] for d in refused.value.details] == [
        f"appraisals.{study_id}.{name}"
        for name in ("group_formation", "confounding", "outcome_measures", "analysis")]


def test_a_draft_keeps_an_incomplete_appraisal_without_a_rating(cast):
    round_ = drive(cast, "in_review")

    saved = assessment.save_assessment(round_, cast.reviewer_a, {
        "appraisals": {_study(round_).id: {"design": "rct", "overall_attrition": 12.5}}})

    (appraisal,) = saved.appraisals
    assert (appraisal.design, appraisal.overall_attrition, appraisal.rating) == ("rct", 12.5, None)


def test_the_answers_propose_the_rating(cast):
    round_ = drive(cast, "in_review")

    saved = _assess(round_, cast.reviewer_a, WITH, baseline_difference=0.3)

    (appraisal,) = saved.appraisals
    assert (appraisal.proposed, appraisal.rating) == (FAILS, FAILS)


def test_an_override_needs_a_written_reason(cast):
    round_ = drive(cast, "in_review")

    with pytest.raises(ValidationFailed) as refused:
        _assess(round_, cast.reviewer_a, WITH, rating=WITHOUT, override_reason="Vind ik.")

    assert [d["field"] for d in refused.value.details] == [
        f"appraisals.{_study(round_).id}.override_reason"]


def test_an_override_with_a_reason_keeps_the_proposal_beside_it(cast):
    round_ = drive(cast, "in_review")

    saved = _assess(round_, cast.reviewer_a, WITH, rating=WITHOUT, override_reason=SECRET)

    (appraisal,) = saved.appraisals
    assert (appraisal.proposed, appraisal.rating) == (WITH, WITHOUT)


def test_a_study_not_in_the_round_is_refused(cast):
    round_ = drive(cast, "in_review")

    with pytest.raises(ValidationFailed) as refused:
        assessment.save_assessment(round_, cast.reviewer_a, {
            "appraisals": {999999: APPRAISAL_ANSWERS[WITH]}})

    assert [d["field"] for d in refused.value.details] == ["appraisals.999999"]
    assert db.session.query(StudyAppraisal).count() == 0


def _round_page(client, user, round_) -> str:
    login(client, user)
    page = client.get(f"/procedure/rondes/{round_.id}").get_data(as_text=True)
    client.post("/uitloggen")
    return page


def test_another_reviewers_appraisal_stays_blind_until_the_discussion(client, cast):
    round_ = drive(cast, "in_review")
    _assess(round_, cast.reviewer_a, WITH, rating=WITHOUT, override_reason=SECRET)
    db.session.commit()
    before = _round_page(client, cast.reviewer_b, round_)
    _assess(round_, cast.reviewer_b, WITH)
    decision.open_discussion(round_, cast.secretary)
    db.session.commit()

    after = _round_page(client, cast.reviewer_b, round_)

    assert SECRET not in before
    assert SECRET in after


def test_the_api_shows_an_assessments_appraisals_to_their_author(client, cast):
    round_ = drive(cast, "in_review")
    _assess(round_, cast.reviewer_a, WITH, submit=False)
    token = create_api_token(cast.reviewer_a, "t")[1]
    db.session.commit()

    body = client.get(f"/api/v1/procedure/rounds/{round_.id}/assessments",
                      headers={"Authorization": f"Bearer {token}"}).get_json()

    (item,) = body["items"]
    assert [(a["study_id"], a["rating"]) for a in item["appraisals"]] == [
        (_study(round_).id, WITH)]


def test_unanimous_reviewers_give_the_agreed_rating_without_a_choice(cast):
    round_ = _assessed(cast, FAILS, FAILS)

    made = _decide(round_, cast)

    assert [(a.study_id, a.rating) for a in made.study_appraisals] == [(_study(round_).id, FAILS)]


def test_disagreeing_reviewers_need_the_panels_choice(cast):
    round_ = _assessed(cast, WITH, FAILS)

    with pytest.raises(ValidationFailed) as refused:
        _decide(round_, cast)

    assert [d["field"] for d in refused.value.details] == [f"study_rating__{_study(round_).id}"]
    assert db.session.query(AgreedAppraisal).count() == 0


def test_a_choice_against_unanimous_reviewers_needs_a_reason(cast):
    round_ = _assessed(cast, WITH, WITH)

    with pytest.raises(ValidationFailed) as refused:
        _decide(round_, cast, {_study(round_).id: {"rating": WITHOUT}})

    assert [d["field"] for d in refused.value.details] == [f"study_reason__{_study(round_).id}"]


def test_a_study_that_does_not_meet_the_standard_stops_counting_in_the_decision(cast):
    round_ = _assessed(cast, FAILS, FAILS)

    made = _decide(round_, cast)

    # With the study's quality on record (moderate) it would be effective_good and
    # potentially_positive.
    (rating,) = made.domain_ratings
    assert (made.suggested_level, rating.proposed) == ("effective_first", "insufficient")


def test_publication_makes_the_agreed_rating_the_studys_quality(cast):
    round_ = _assessed(cast, WITH, FAILS)
    study = _study(round_)
    _decide(round_, cast, {study.id: {"rating": WITHOUT, "reason": "Na bespreking eens."}})
    assert study.quality == "moderate"  # not before publication
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        decision.confirm_decision(round_, reviewer)

    decision.publish_decision(round_, cast.secretary)

    assert (study.quality, study.quality_rated_by_id) == ("high", cast.secretary.id)


def test_the_evidence_api_shows_the_agreed_ratings_only_once_published(client, cast):
    round_ = _assessed(cast, FAILS, FAILS)
    _decide(round_, cast)
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        decision.confirm_decision(round_, reviewer)
    slug = round_.version.intervention.slug
    db.session.commit()
    before = client.get(f"/api/v1/interventions/{slug}/evidence")
    decision.publish_decision(round_, cast.secretary)
    db.session.commit()

    body = client.get(f"/api/v1/interventions/{slug}/evidence").get_json()

    assert before.status_code == 404  # not published yet
    assert [(a["study_id"], a["rating"], a["quality"]) for a in body["study_appraisals"]] == [
        (_study(round_).id, FAILS, "low")]


def test_kappa_per_criterion_over_the_studies_two_reviewers_appraised(cast):
    first = _assessed(cast, WITHOUT, WITHOUT)
    second = _assessed(cast, WITH, FAILS)

    by_criterion = {row.criterion: row for row in criterion_agreements([first, second])}

    # Design: (rct, rct) and (quasi_experimental, pre_post): observed 1/2, chance 1/4.
    assert by_criterion["design"].kappa == pytest.approx(1 / 3)
    assert by_criterion["design"].studies == 2
    assert by_criterion["confounding"].kappa is None  # always "none": no variation


def test_the_overview_shows_kappa_per_criterion(client, cast):
    _assessed(cast, WITHOUT, WITHOUT)
    _assessed(cast, WITH, FAILS)
    db.session.commit()
    login(client, cast.secretary)

    page = client.get("/procedure/overzicht").get_data(as_text=True)

    table = page[page.index('id="studies-kappa"'):]
    assert "Onderzoeksopzet" in table[:table.index("</table>")]
    assert "0,33" in table[:table.index("</table>")]


def _form(round_, **answers) -> dict[str, str]:
    study_id = _study(round_).id
    form = {f"score-{key}": "3" for key in full_scores(round_)}
    form |= {f"appraisal-{study_id}-{name}": str(value)
             for name, value in {**APPRAISAL_ANSWERS[WITH], **answers}.items()}
    return form | {"proposed_level": "effective_good", "motivation": "Zie dossier.",
                   "action": "submit"}


def test_the_assessment_form_reads_a_dutch_decimal_comma(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.reviewer_a)

    response = client.post(f"/procedure/rondes/{round_.id}/beoordeling",
                           data=_form(round_, overall_attrition="12,5"))

    assert response.status_code == 302
    (appraisal,) = db.session.query(StudyAppraisal).all()
    assert appraisal.overall_attrition == 12.5


def test_the_assessment_form_names_the_study_and_question_of_a_bad_number(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.reviewer_a)

    response = client.post(f"/procedure/rondes/{round_.id}/beoordeling",
                           data=_form(round_, differential_attrition="140"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'href="#appraisal-{_study(round_).id}-differential_attrition"' in page
    assert "Geef een getal van 0 tot en met 100." in page
    assert db.session.query(StudyAppraisal).count() == 0


def test_the_decision_form_carries_the_panels_study_rating_through_confirmation(client, cast):
    round_ = _assessed(cast, WITH, FAILS)
    db.session.commit()
    login(client, cast.secretary)
    field = f"study_rating__{_study(round_).id}"
    form = {"outcome": "effective_good", "rationale": RATIONALE,
            "lock_version": str(round_.lock_version), field: WITH}

    confirm = client.post(f"/procedure/rondes/{round_.id}/besluit", data=form)
    recorded = client.post(f"/procedure/rondes/{round_.id}/besluit",
                           data=form | {"bevestigd": "1"})

    assert f'name="{field}" value="{WITH}"' in confirm.get_data(as_text=True)
    assert recorded.status_code == 302
    (agreed,) = db.session.query(AgreedAppraisal).all()
    assert agreed.rating == WITH


def test_the_decision_form_refuses_a_missing_study_rating_by_name(client, cast):
    round_ = _assessed(cast, WITH, FAILS)
    db.session.commit()
    login(client, cast.secretary)

    response = client.post(f"/procedure/rondes/{round_.id}/besluit", data={
        "outcome": "effective_good", "rationale": RATIONALE,
        "lock_version": str(round_.lock_version)})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'href="#study_rating__{_study(round_).id}"' in page
    assert "De beoordelaars verschillen" in page


def _decide_through_the_api(client, cast, round_, **extra):
    token = create_api_token(cast.secretary, "t")[1]
    db.session.commit()
    return client.post(f"/api/v1/procedure/rounds/{round_.id}/decision",
                       headers={"Authorization": f"Bearer {token}"},
                       json={"outcome": "effective_good", "rationale": RATIONALE, **extra})


def test_the_decision_api_takes_study_and_domain_ratings(client, cast):
    round_ = _assessed(cast, WITH, FAILS)

    response = _decide_through_the_api(
        client, cast, round_,
        study_appraisals=[{"study_id": _study(round_).id, "rating": WITH}],
        domain_ratings=[{"outcome_domain": "work", "horizon": "medium",
                         "rating": "no_effect", "reason": "Te klein om op te bouwen."}])

    assert response.status_code == 200, response.get_json()
    (agreed,) = db.session.query(AgreedAppraisal).all()
    assert agreed.rating == WITH
    (made,) = round_.version.intervention.decisions
    assert [(r.decided, r.reason) for r in made.domain_ratings] == [
        ("no_effect", "Te klein om op te bouwen.")]


def test_the_intervention_page_shows_the_panels_rating_of_each_study(client, cast):
    round_ = _assessed(cast, FAILS, FAILS)
    _decide(round_, cast)
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        decision.confirm_decision(round_, reviewer)
    decision.publish_decision(round_, cast.secretary)
    db.session.commit()

    page = client.get(f"/interventies/{round_.version.intervention.slug}").get_data(as_text=True)

    assert "Oordeel van de commissie over de studie: voldoet niet." in page


def _put_appraisal(client, cast, answers: dict):
    """Reviewer A puts one appraisal of the round's study through the API."""
    round_ = drive(cast, "in_review")
    token = create_api_token(cast.reviewer_a, "t")[1]
    db.session.commit()
    study_id = _study(round_).id
    response = client.put(f"/api/v1/procedure/rounds/{round_.id}/assessment",
                          headers={"Authorization": f"Bearer {token}"},
                          json={"appraisals": {str(study_id): answers}})
    return response, study_id


def test_the_assessment_api_takes_appraisals_by_study_id(client, cast):
    response, study_id = _put_appraisal(
        client, cast, {**APPRAISAL_ANSWERS[WITH], "overall_attrition": 140})

    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == [
        f"appraisals.{study_id}.overall_attrition"]


def test_the_assessment_api_returns_the_proposed_rating(client, cast):
    response, study_id = _put_appraisal(client, cast, APPRAISAL_ANSWERS[WITH])

    (appraisal,) = response.get_json()["items"][0]["appraisals"]
    assert (appraisal["study_id"], appraisal["proposed"], appraisal["rating"]) == (
        study_id, WITH, WITH)


def test_the_decision_api_refuses_an_unknown_study_rating_and_records_nothing(client, cast):
    round_ = _assessed(cast, WITH, WITH)
    token = create_api_token(cast.secretary, "t")[1]
    db.session.commit()

    response = client.post(
        f"/api/v1/procedure/rounds/{round_.id}/decision",
        headers={"Authorization": f"Bearer {token}"},
        json={"outcome": "effective_good", "rationale": RATIONALE,
              "study_appraisals": [{"study_id": _study(round_).id, "rating": "geweldig"}]})

    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == [
        "study_appraisals.0.rating"]
    assert round_.version.intervention.decisions == []


@pytest.mark.parametrize(("extra", "field"), [
    ({"domain_ratings": [{"outcome_domain": "wrk", "horizon": "short", "rating": "negative",
                          "reason": "Een tikfout in de code van het domein."}]},
     "rating__wrk__short"),
    ({"study_appraisals": [{"study_id": 2147483647, "rating": WITH}]},
     "study_rating__2147483647"),
])
def test_the_decision_api_refuses_a_rating_of_something_not_rated(client, cast, extra, field):
    round_ = _assessed(cast, WITH, WITH)

    body = _decide_through_the_api(client, cast, round_, **extra).get_json()
    assert body["error"]["code"] == "validation_failed", body
    assert field in [detail["field"] for detail in body["error"]["details"]]
    assert round_.version.intervention.decisions == []
