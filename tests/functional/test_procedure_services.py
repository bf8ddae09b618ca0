"""The state machine and procedure services: transitions, guards, conflicts, locking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from registry.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from registry.extensions import db
from registry.models import AuditEvent, ConflictDeclaration
from registry.services import decision, screening, submission, validity
from registry.services.procedure import TRANSITIONS, allowed_transitions, current_decision_of
from tests.factories import StudyFactory
from tests.unit.procedure.support import (
    advance,
    drive,
    make_cast,
    make_user,
)


@pytest.fixture
def cast():
    return make_cast()


def test_every_transition_writes_an_audit_event(cast):
    round_ = drive(cast, "published")
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.intervention_id == round_.intervention_id)
        .where(AuditEvent.to_state.is_not(None)).order_by(AuditEvent.id)
    ).all()
    assert actions == ["create_draft", "submit", "start_screening", "accept",
                       "open_discussion", "decide", "publish"]


def test_an_invalid_transition_is_refused_with_its_reason(cast):
    round_ = drive(cast, "draft")
    with pytest.raises(InvalidTransition, match="'Concept'") as refused:
        screening.start_screening(round_, cast.secretary)
    assert refused.value.details == [{"field": "state", "messages": ["draft"]}]  # the API's


def test_a_transition_needs_its_permission(cast):
    round_ = drive(cast, "submitted")
    with pytest.raises(PermissionDenied):
        screening.start_screening(round_, cast.owner)


def test_discussion_waits_for_every_assessment(cast):
    round_ = drive(cast, "in_review")
    with pytest.raises(InvalidTransition, match="beoordeling"):
        decision.open_discussion(round_, cast.secretary)


def test_publication_needs_unanimous_confirmation(cast):
    round_ = drive(cast, "decided")
    decision.confirm_decision(round_, cast.reviewer_a)
    with pytest.raises(InvalidTransition, match="unanimiteit"):
        decision.publish_decision(round_, cast.secretary)


def test_a_decision_that_lapsed_before_publication_is_not_published(cast):
    round_ = drive(cast, "confirmed")
    recorded = current_decision_of(round_)
    recorded.decided_on = date.today() - timedelta(days=200)  # recorded long ago
    recorded.valid_until = date.today() - timedelta(days=1)

    with pytest.raises(InvalidTransition, match="al verlopen"):
        decision.publish_decision(round_, cast.secretary)
    assert round_.state == "decided"


def test_a_decision_that_differs_from_the_suggestion_needs_a_rationale(cast):
    round_ = drive(cast, "in_discussion")
    with pytest.raises(ValidationFailed):
        decision.record_decision(round_, cast.secretary, {"outcome": "effective_strong"})


def test_panel_refuses_a_reviewer_from_the_owners_organisation(cast):
    round_ = drive(cast, "screening")
    colleague = make_user("reviewer", organisation=cast.organisation)
    with pytest.raises(ValidationFailed, match="eigenaar"):
        screening.assign_reviewer(round_, cast.secretary, colleague)


def test_panel_refuses_a_reviewer_with_a_declared_conflict(cast):
    round_ = drive(cast, "screening")
    db.session.add(ConflictDeclaration(user_id=cast.reviewer_a.id,
                                       organisation_id=cast.organisation.id))
    with pytest.raises(ValidationFailed, match="belang"):
        screening.assign_reviewer(round_, cast.secretary, cast.reviewer_a)


def test_panel_refuses_the_submitter(cast):
    round_ = drive(cast, "screening")
    cast.owner.role_grants[0].role = "reviewer"  # the submitter later became a reviewer
    db.session.flush()
    with pytest.raises(ValidationFailed, match="ingediend"):
        screening.assign_reviewer(round_, cast.secretary, cast.owner)


def test_accepting_needs_every_inclusion_criterion(cast):
    round_ = drive(cast, "screening")
    with pytest.raises(ValidationFailed):
        screening.screen(round_, cast.secretary, ["described"], "accepted", None)


def test_a_returned_submission_gets_a_new_draft_version_and_the_old_stays_frozen(cast):
    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Beschrijf de doelgroep beter.")
    first = round_.version
    submission.save_draft(round_, cast.owner, {"target_group_text": "Jongeren tot 27 jaar."})
    assert (first.status, round_.version.number, round_.version.status) == (
        "submitted", 2, "draft")


def test_a_stale_draft_save_is_a_conflict(cast):
    round_ = drive(cast, "draft")
    stale = round_.version.lock_version
    submission.save_draft(round_, cast.owner, {"title": "Eerste", "lock_version": stale})
    with pytest.raises(Conflict):
        submission.save_draft(round_, cast.owner, {"title": "Tweede", "lock_version": stale})


def test_allowed_transitions_name_what_the_user_may_do(cast):
    round_ = drive(cast, "submitted")
    assert allowed_transitions(round_, cast.secretary) == ["start_screening"]


def test_every_transition_names_a_permission():
    assert all(callable(t.permission) for t in TRANSITIONS.values())


def test_expiry_is_idempotent_and_lists_lapsing_decisions(cast):
    round_ = drive(cast, "published")
    lapse_day = round_.version.intervention.current_decision.valid_until
    warned = validity.expire_lapsed(lapse_day - timedelta(days=30))
    first = validity.expire_lapsed(lapse_day + timedelta(days=1))
    second = validity.expire_lapsed(lapse_day + timedelta(days=1))
    assert (len(warned.lapsing), len(first.expired), len(second.expired), round_.state) == (
        1, 1, 0, "expired")


def test_reassessment_keeps_the_old_decision_visible(cast):
    round_ = drive(cast, "published")
    intervention = round_.version.intervention
    old = intervention.current_decision
    new_round = validity.request_reassessment(intervention, cast.owner)
    assert (intervention.current_decision, new_round.state, new_round.version.number) == (
        old, "draft", 2)


def test_objection_round_refuses_the_first_panel(cast):
    round_ = drive(cast, "published")
    objection = validity.lodge_objection(round_, cast.owner, "De effecten zijn onderschat.")
    screening.start_screening(objection, cast.secretary)
    with pytest.raises(ValidationFailed, match="panel"):
        screening.assign_reviewer(objection, cast.secretary, cast.reviewer_a)


def test_objection_after_the_period_is_refused(cast, app):
    round_ = drive(cast, "published")
    decision_ = round_.version.intervention.current_decision
    decision_.published_at = decision_.published_at - timedelta(days=60)
    with pytest.raises(InvalidTransition, match="bezwaartermijn"):
        validity.lodge_objection(round_, cast.owner, "Te laat.")


def test_published_decision_is_valid_five_years(cast):
    round_ = drive(cast, "published")
    decision_ = round_.version.intervention.current_decision
    assert decision_.valid_until == validity.add_months(date.today(), 60)


def test_reopening_the_discussion_withdraws_the_unconfirmed_decision(cast):
    round_ = drive(cast, "decided")
    recorded = round_.version.intervention.decisions[0]
    decision.reopen_discussion(round_, cast.secretary, "Een lid kan niet instemmen.")
    assert (round_.state, recorded.superseded_at is not None) == ("in_discussion", True)


def _reassessed(cast, until: str):
    """A published round, and a reassessment of its intervention taken up to `until`."""
    first = drive(cast, "published")
    reassessment = validity.request_reassessment(first.version.intervention, cast.owner)
    return first, advance(cast, reassessment, until)


def test_an_objection_to_a_decision_a_reassessment_replaced_is_refused(cast):
    # The objection round republishes the first round's version: the public version
    # went back from 2 to 1 and the reassessment's decision was superseded.
    first, second = _reassessed(cast, "published")

    with pytest.raises(InvalidTransition, match="vervangen"):
        validity.lodge_objection(first, cast.owner, "Bezwaar tegen het oude besluit.")

    assert first.version.intervention.published_version_id == second.version_id


def test_no_study_is_linked_while_a_round_runs(cast):
    # The panel decides on the studies it assessed: one linked meanwhile was published
    # under a decision nobody made about it.
    from registry.services.study_links import link_study

    _first, reassessment = _reassessed(cast, "assessed")
    intervention = reassessment.version.intervention

    with pytest.raises(Conflict, match="beoordeeld"):
        link_study(StudyFactory().id, intervention.id, "effect")

    assert len(intervention.study_links) == 1


def test_a_secretary_of_the_owners_organisation_does_not_run_its_round(cast):
    # Owner and secretary in one: they screened, read the blinded assessments, decided
    # and published their own intervention.
    from registry import permissions as perm

    colleague = make_user("secretary", organisation=cast.organisation)
    round_ = drive(cast, "submitted")

    with pytest.raises(PermissionDenied):
        screening.start_screening(round_, colleague)

    advance(cast, round_, "assessed", start="submitted")
    assessment = round_.assessments[0]
    assert not perm.can_view_assessment(colleague, assessment)
    assert not perm.can_view_dossier(colleague, round_)
    assert perm.can_view_assessment(cast.secretary, assessment)


def test_an_import_links_no_study_to_an_intervention_being_assessed(cast):
    # The same rule as linking by hand: the panel decides on the studies it assessed.
    import io
    import json

    from importers.pipeline import commit_import
    from importers.source import ImportRejected

    _first, reassessment = _reassessed(cast, "assessed")
    intervention = reassessment.version.intervention
    study = {"title": "Werkfit na de beoordeling", "year": 2024,
             "authors": ["Jansen, A."], "interventions": [intervention.slug]}

    report = commit_import(io.BytesIO(json.dumps([study]).encode()), "s.json")

    assert report.new == 1 and len(intervention.study_links) == 1
    assert any("wordt nu beoordeeld" in warning["message"]
               for entry in report.warning_records for warning in entry["warnings"])
    with pytest.raises(ImportRejected, match="wordt nu beoordeeld"):
        commit_import(io.BytesIO(json.dumps([{**study, "interventions": []}]).encode()),
                      "t.json", link_slugs=(intervention.slug,))
