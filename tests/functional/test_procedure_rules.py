"""Rules of the procedure checked against docs/domain.md: conflicts of interest at assignment and
at the dossier, the rationale for a differing decision, the objection panel, the
append-only audit trail, CSRF tokens in every form, and the agreement overview."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from registry import permissions as perm
from registry.errors import InvalidTransition, PermissionDenied, ValidationFailed
from registry.extensions import db
from registry.models import AuditEvent, AuditTrailIsAppendOnly, ConflictDeclaration, PanelMember
from registry.services import assessment, decision, screening, validity
from tests.unit.procedure.support import (
    RATIONALE,
    drive,
    full_appraisals,
    full_scores,
    login,
    make_cast,
    make_user,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def cast():
    return make_cast()


def _declare_conflict_with_owner(reviewer, cast) -> None:
    db.session.add(ConflictDeclaration(user_id=reviewer.id, organisation_id=cast.organisation.id))
    db.session.flush()


# --- conflicts of interest, also after assignment ------------------------------------


def test_a_conflict_declared_after_assignment_closes_the_dossier(cast):
    round_ = drive(cast, "in_review")
    _declare_conflict_with_owner(cast.reviewer_a, cast)
    assert not perm.can_view_dossier(cast.reviewer_a, round_)
    assert perm.can_view_dossier(cast.reviewer_b, round_)


def test_a_conflicted_reviewer_cannot_assess(cast):
    round_ = drive(cast, "in_review")
    _declare_conflict_with_owner(cast.reviewer_a, cast)
    with pytest.raises(PermissionDenied):
        assessment.save_assessment(round_, cast.reviewer_a, {"scores": {}})


def test_a_known_conflict_cannot_be_declared_away(cast):
    round_ = drive(cast, "screening")
    screening.assign_reviewer(round_, cast.secretary, cast.reviewer_a)
    _declare_conflict_with_owner(cast.reviewer_a, cast)
    with pytest.raises(PermissionDenied, match="belang"):
        screening.declare_no_conflict(round_, cast.reviewer_a)


def test_the_dossier_page_is_refused_to_a_conflicted_reviewer(client, cast):
    round_ = drive(cast, "in_review")
    _declare_conflict_with_owner(cast.reviewer_a, cast)
    db.session.commit()
    login(client, cast.reviewer_a)
    assert client.get(f"/procedure/rondes/{round_.id}/beoordeling").status_code == 403


def test_the_discussion_waits_until_a_conflicted_member_is_replaced(cast):
    round_ = drive(cast, "assessed")
    _declare_conflict_with_owner(cast.reviewer_b, cast)
    with pytest.raises(InvalidTransition, match="belang"):
        decision.open_discussion(round_, cast.secretary)


def test_the_secretary_can_take_a_conflicted_reviewer_off_the_panel(cast):
    round_ = drive(cast, "assessed")
    replacement = make_user("reviewer")
    _declare_conflict_with_owner(cast.reviewer_b, cast)
    screening.remove_reviewer(round_, cast.secretary, cast.reviewer_b)
    screening.assign_reviewer(round_, cast.secretary, replacement)
    screening.declare_no_conflict(round_, replacement)
    assessment.save_assessment(round_, replacement, {
        "scores": full_scores(round_), "appraisals": full_appraisals(round_),
        "proposed_level": "effective_good",
        "motivation": "Eens.", "submit": True})
    decision.open_discussion(round_, cast.secretary)
    assert {a.reviewer_id for a in round_.assessments} == {cast.reviewer_a.id, replacement.id}


# --- a decision that differs from the suggestion -------------------------------------


def test_every_decision_needs_the_committees_rationale(cast):
    round_ = drive(cast, "in_discussion")
    for rationale in (None, "", "   ", "Prima."):
        with pytest.raises(ValidationFailed) as refused:
            decision.record_decision(round_, cast.secretary,
                                     {"outcome": "effective_good", "rationale": rationale})
        assert refused.value.details[0]["field"] == "rationale"
        assert "gepubliceerd" in refused.value.message
    recorded = decision.record_decision(round_, cast.secretary, {
        "outcome": "effective_good", "rationale": RATIONALE})
    assert (recorded.level, recorded.suggested_level) == ("effective_good", "effective_good")
    assert recorded.rationale == RATIONALE


def test_a_provisional_decision_at_another_level_needs_a_rationale(cast):
    round_ = drive(cast, "in_discussion")
    with pytest.raises(ValidationFailed) as refused:
        decision.record_decision(round_, cast.secretary, {
            "outcome": "provisional", "level": "effective_first", "conditions": "Een RCT."})
    assert refused.value.details[0]["field"] == "rationale"


def test_a_differing_decision_with_a_rationale_is_recorded(cast):
    round_ = drive(cast, "in_discussion")
    recorded = decision.record_decision(round_, cast.secretary, {
        "outcome": "effective_first", "rationale": "De RCT is klein en kort."})
    assert (recorded.level, recorded.rationale) == ("effective_first", "De RCT is klein en kort.")


def test_the_decision_form_asks_for_the_rationale(client, cast):
    round_ = drive(cast, "in_discussion")
    db.session.commit()
    login(client, cast.secretary)
    response = client.post(f"/procedure/rondes/{round_.id}/besluit", data={
        "outcome": "effective_strong", "rationale": "Prima.",
        "lock_version": str(round_.lock_version)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Verplicht: minstens 20 tekens." in page and 'aria-invalid="true"' in page


def test_a_provisional_decision_without_conditions_or_rationale_names_both_at_their_fields(
        client, cast):
    """Both rules at once, each message beside its field and tied to it, so the secretary
    does not learn of the second only after mending the first."""
    round_ = drive(cast, "in_discussion")
    db.session.commit()
    login(client, cast.secretary)
    response = client.post(f"/procedure/rondes/{round_.id}/besluit", data={
        "outcome": "provisional", "level": "effective_first", "rationale": "Kort.",
        "conditions": "  ", "lock_version": str(round_.lock_version)})
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert ('<span class="error" id="conditions-error">Een besluit onder voorbehoud heeft '
            'voorwaarden.</span>') in page
    assert 'id="conditions" name="conditions" aria-describedby="conditions-error" ' \
           'aria-invalid="true"' in page
    assert '<span class="error" id="rationale-error">Verplicht: minstens 20 tekens.' in page
    assert '<a href="#conditions">' in page and '<a href="#rationale">' in page


# --- the objection round ---------------------------------------------------------------


def _objection(cast):
    round_ = drive(cast, "published")
    objection = validity.lodge_objection(round_, cast.owner, "De effecten zijn onderschat.")
    screening.start_screening(objection, cast.secretary)
    return objection


def test_the_objection_round_takes_a_reviewer_not_on_the_first_panel(cast):
    objection = _objection(cast)
    fresh = make_user("reviewer")
    member = screening.assign_reviewer(objection, cast.secretary, fresh)
    assert member.user_id == fresh.id


def test_a_first_panel_member_slipped_onto_the_objection_panel_cannot_open_it(cast):
    objection = _objection(cast)
    db.session.add(PanelMember(round_id=objection.id, user_id=cast.reviewer_a.id))
    db.session.flush()
    db.session.refresh(objection)
    with pytest.raises(PermissionDenied):
        screening.declare_no_conflict(objection, cast.reviewer_a)


# --- the audit trail is append-only ----------------------------------------------------


def _some_event(cast) -> AuditEvent:
    drive(cast, "submitted")
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()


def test_the_orm_refuses_to_change_an_audit_event(cast):
    event = _some_event(cast)
    event.note = "achteraf aangepast"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()


def test_the_orm_refuses_to_delete_an_audit_event(cast):
    event = _some_event(cast)
    db.session.delete(event)
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(note="achteraf"),
    delete(AuditEvent),
], ids=["update", "delete"])
def test_the_database_refuses_bulk_changes_to_audit_events(cast, statement):
    _some_event(cast)
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(statement)


def test_no_code_updates_or_deletes_audit_events():
    root = Path(__file__).resolve().parents[2]
    folders = ("registry", "importers", "search_index")
    sources = [p for d in folders for p in (root / d).rglob("*.py")]
    pattern = re.compile(r"(update|delete)\(\s*AuditEvent")
    assert [str(p) for p in sources if pattern.search(p.read_text(encoding="utf-8"))] == []


# --- CSRF ----------------------------------------------------------------------------


def test_every_post_form_carries_a_csrf_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            is_post = re.search(r'method="post"', form, flags=re.I)
            if is_post and "csrf_token()" not in form and "csrf()" not in form:
                missing.append(f"{path.relative_to(TEMPLATES)}: {form[:60]}")
    assert missing == []


# --- agreement on the secretary's overview ---------------------------------------------


def _assessed_round(cast, level_a: str, level_b: str):
    round_ = drive(cast, "in_review")
    for reviewer, level in ((cast.reviewer_a, level_a), (cast.reviewer_b, level_b)):
        assessment.save_assessment(round_, reviewer, {
            "scores": full_scores(round_), "appraisals": full_appraisals(round_),
            "proposed_level": level,
            "motivation": "Zie dossier.", "submit": True})
    decision.open_discussion(round_, cast.secretary)  # agreement counts discussed rounds
    return round_


def test_the_overview_shows_kappa_per_pair_over_the_rounds_they_shared(client, cast):
    for level_a, level_b in (("well_founded", "well_founded"),
                             ("effective_good", "effective_first"),
                             ("effective_strong", "effective_strong")):
        last = _assessed_round(cast, level_a, level_b)
    db.session.commit()
    login(client, cast.secretary)
    page = client.get("/procedure/overzicht").get_data(as_text=True)
    pairs = page[page.index('id="kappa-paren"'):page.index('id="rondes"')]
    assert f"{cast.reviewer_a.name} – {cast.reviewer_b.name}" in pairs
    assert re.search(r'class="kappa">0,9\d</td>\s*<td>\(bijna\) volledige overeenstemming'
                     r"</td>\s*<td>3</td>", pairs)
    assert re.search(rf'data-round="{last.id}">0,9\d<', page)


def test_the_overview_says_when_there_is_not_enough_data(client, cast):
    _assessed_round(cast, "well_founded", "effective_good")
    db.session.commit()
    login(client, cast.secretary)
    page = client.get("/procedure/overzicht").get_data(as_text=True)
    assert 'id="kappa-panel">niet genoeg gegevens<' in page


def test_the_overview_shows_stages_lapsing_recognitions_and_workload_as_charts_and_tables(
        client, cast):
    drive(cast, "in_review")
    published = drive(cast, "published")
    decision_ = published.version.intervention.current_decision
    decision_.valid_until = date.today() + timedelta(days=40)
    db.session.commit()
    login(client, cast.secretary)
    page = client.get("/procedure/overzicht").get_data(as_text=True)
    stages = page[page.index('id="fasen-tabel"'):page.index('id="doorlooptijd"')]
    assert re.search(r'In beoordeling</th><td class="number">1</td>', stages)
    assert re.search(r'Gepubliceerd</th><td class="number">1</td>', stages)
    # Each chart is one image named by its caption, with the figures in the table.
    assert page.count('<svg role="img" aria-labelledby="') >= 3
    assert 'id="fasen-grafiek-caption"' in page
    lapsing = page[page.index('id="verloopt-tabel"'):page.index('id="werklast"')]
    assert published.version.title in lapsing
    assert '<td class="number">40</td>' in lapsing
    workload = page[page.index('id="werklast-tabel"'):page.index('id="overeenstemming"')]
    assert re.search(rf"{cast.reviewer_a.name}</th><td class=\"number\">1</td>"
                     r'<td class="number">1</td><td class="number">1</td>', workload)
    times = page[page.index('id="doorlooptijd-tabel"'):page.index('id="verloopt"')]
    assert re.search(r'In screening</th><td class="number">2</td>', times)


# --- a reviewer's standing conflict with an organisation -------------------------------


def test_a_reviewer_declares_a_conflict_with_an_organisation_on_the_dashboard(client, cast):
    db.session.commit()
    login(client, cast.reviewer_a)
    response = client.post("/mijn/belangen", data={"organisation_id": cast.organisation.id})
    declared = screening.declared_organisation_conflicts(cast.reviewer_a)
    assert response.status_code == 302
    assert [d.organisation_id for d in declared] == [cast.organisation.id]


def test_a_declared_organisation_keeps_its_interventions_from_the_reviewer(cast):
    screening.declare_organisation_conflict(cast.reviewer_a, cast.organisation.id, None)
    round_ = drive(cast, "screening")
    with pytest.raises(ValidationFailed, match="belang"):
        screening.assign_reviewer(round_, cast.secretary, cast.reviewer_a)


def test_a_conflict_needs_an_existing_organisation(cast):
    with pytest.raises(ValidationFailed):
        screening.declare_organisation_conflict(cast.reviewer_a, 999999, None)


def test_the_lapsing_recognitions_cost_one_query_however_many(app, cast):
    """The overview names each lapsing recognition's intervention: loaded with the
    decisions, not a query per row (272 rows and 556 queries at 10k)."""
    from registry.services.dashboard import lapsing
    from tests.factories import DecisionFactory, make_intervention
    from tests.functional.statements import statements_sent

    soon = date.today() + timedelta(days=40)
    for _ in range(5):
        intervention = make_intervention()
        intervention.current_decision = DecisionFactory(
            intervention=intervention, version_id=intervention.published_version_id,
            valid_until=soon)
    db.session.flush()
    db.session.expunge_all()
    with statements_sent() as sent:
        titles = [decision.intervention.title for decision in lapsing(date.today())]
    assert len(titles) == 5 and len(sent) == 1
