"""One intervention through the whole procedure over HTTP, with separate users for the
owner, the secretary and two reviewers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AssessmentRound, AuditEvent, Intervention
from registry.models.procedure import SCREENING_CRITERIA
from registry.services.assessment import assessment_items
from registry.services.procedure import current_decision_of
from tests.unit.procedure.support import (
    advance,
    appraisal_form,
    description,
    drive,
    link_rct,
    login,
    make_cast,
)


@pytest.fixture
def people(app):
    cast = make_cast()
    clients = {}
    for role in ("owner", "secretary", "reviewer_a", "reviewer_b"):
        clients[role] = app.test_client()
        assert login(clients[role], getattr(cast, role)).status_code == 302
    return cast, clients


def ok(response, status=302):
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def assess(client, round_id, scores, level):
    form = {f"score-{item}": str(score) for item, score in scores.items()}
    form |= appraisal_form(db.session.get(AssessmentRound, round_id))
    form.update(proposed_level=level, motivation="Goed onderbouwd met een RCT.", action="submit")
    ok(client.post(f"/procedure/rondes/{round_id}/beoordeling", data=form))


def test_whole_procedure_over_http(people):
    cast, c = people
    created = ok(c["owner"].post("/procedure/nieuw", data=description()))
    round_id = int(re.search(r"/rondes/(\d+)", created.headers["Location"]).group(1))
    round_ = db.session.get(AssessmentRound, round_id)
    link_rct(db.session.get(Intervention, round_.intervention_id))  # a researcher's work
    base = f"/procedure/rondes/{round_id}"

    ok(c["owner"].post(f"{base}/indienen"))
    ok(c["secretary"].post(f"{base}/screening/starten"))
    ok(c["secretary"].post(f"{base}/screening", data={
        "outcome": "returned", "remarks": "Beschrijf de handleiding."}))
    ok(c["owner"].post(f"{base}/beschrijving", data=description(
        manual_and_materials="Handleiding, 40 pagina's.")))
    ok(c["owner"].post(f"{base}/indienen"))
    ok(c["secretary"].post(f"{base}/screening/starten"))
    ok(c["secretary"].post(f"{base}/screening", data={
        "outcome": "accepted", "checklist": list(SCREENING_CRITERIA)}))
    # Nobody chosen: the message stands at the reviewers' fieldset, not only at the top.
    refused = ok(c["secretary"].post(f"{base}/panel", data={}), 422).get_data(as_text=True)
    assert ('<fieldset id="toevoegen" aria-describedby="toevoegen-fouten">' in refused
            and '<p class="field-errors" id="toevoegen-fouten">Kies minstens' in refused)
    for reviewer in ("reviewer_a", "reviewer_b"):
        ok(c["secretary"].post(f"{base}/panel", data={"reviewer_id": getattr(cast, reviewer).id}))
        ok(c[reviewer].post(f"{base}/verklaring"))
    items = [key for key, _ in assessment_items(db.session.get(AssessmentRound, round_id))]
    assess(c["reviewer_a"], round_id, dict.fromkeys(items, 3) | {items[-1]: 4}, "effective_good")
    assess(c["reviewer_b"], round_id,
           dict.fromkeys(items, 3) | {items[1]: 2, items[-1]: 4}, "effective_good")
    ok(c["secretary"].post(f"{base}/bespreking"))
    ok(c["reviewer_a"].post(f"{base}/reacties", data={"body": "Eens met het niveau."}))
    ok(c["secretary"].post(f"{base}/besluit", data={
        "outcome": "effective_good", "rationale": "Eén RCT van redelijke kwaliteit.",
        "bevestigd": "1"}))
    for reviewer in ("reviewer_a", "reviewer_b"):
        ok(c[reviewer].post(f"{base}/bevestigen", data=_page_lock(round_id)))
    ok(c["secretary"].post(f"{base}/publiceren", data=_page_lock(round_id)))

    slug = db.session.get(Intervention, round_.intervention_id).slug
    public = c["owner"].get(f"/api/v1/interventions/{slug}").get_json()
    assert (public["status"], public["version"], public["manual_and_materials"]) == (
        "effective_good", 2, "Handleiding, 40 pagina's.")

    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.to_state)
        .where(AuditEvent.intervention_id == round_.intervention_id,
               AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.id)
    ).all()
    o, s = cast.owner.id, cast.secretary.id
    assert events == [
        ("create_draft", o, "draft"), ("submit", o, "submitted"),
        ("start_screening", s, "screening"), ("return", s, "returned"),
        ("submit", o, "submitted"), ("start_screening", s, "screening"),
        ("accept", s, "in_review"), ("open_discussion", s, "in_discussion"),
        ("decide", s, "decided"), ("publish", s, "published"),
    ]
    history = c["secretary"].get(f"/procedure/interventies/{round_.intervention_id}/geschiedenis")
    assert history.get_data(as_text=True).count('class="audit-event"') >= len(events)

    # One round gives each reviewer one proposal: too little for a kappa, and it says so.
    overview = c["secretary"].get("/procedure/overzicht").get_data(as_text=True)
    assert f'data-round="{round_id}">niet genoeg gegevens<' in overview


def test_a_decision_is_withdrawn_with_a_reason_the_log_keeps(people):
    from tests.unit.procedure.support import drive

    cast, c = people
    round_ = drive(cast, "decided")
    db.session.commit()
    base = f"/procedure/rondes/{round_.id}"
    page = c["secretary"].get(base).get_data(as_text=True)
    assert 'id="reopen-reason"' in page and 'for="reopen-reason"' in page

    lock = {"lock_version": str(round_.lock_version)}
    refused = c["secretary"].post(f"{base}/heropenen", data={**lock, "reason": " "})
    assert refused.status_code == 422
    assert db.session.get(AssessmentRound, round_.id).state == "decided"

    ok(c["secretary"].post(f"{base}/heropenen", data={
        **lock, "reason": "Een lid kan niet instemmen met de motivering."}))

    db.session.refresh(round_)
    assert round_.state == "in_discussion"
    event = db.session.scalars(select(AuditEvent).filter_by(
        entity_id=round_.id, action="reopen_discussion")).one()
    assert "kan niet instemmen" in (event.note or "")


@pytest.mark.parametrize(("state", "role", "path", "field", "element"), [
    ("in_discussion", "reviewer_a", "reacties", "body", "body"),
    ("decided", "secretary", "heropenen", "reason", "reopen-reason"),
    ("published", "owner", "bezwaar", "grounds", "grounds"),
])
def test_a_blank_message_on_the_round_page_is_shown_at_its_field(people, state, role, path,
                                                                 field, element):
    """A comment, a reason for reopening or the grounds of an objection of spaces only:
    the round page again, the error in the summary, linked to the field, which carries
    it (aria) and keeps what was typed; nothing recorded."""
    from tests.unit.procedure.support import drive

    cast, c = people
    round_ = drive(cast, state)
    db.session.commit()
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    refused = c[role].post(f"/procedure/rondes/{round_.id}/{path}", data={
        "lock_version": str(round_.lock_version), field: "   "})
    page = refused.get_data(as_text=True)

    assert refused.status_code == 422
    assert f'<a href="#{element}">' in page and "Dit veld is verplicht." in page
    assert f'aria-describedby="{element}-fouten" aria-invalid="true">   </textarea>' in page
    assert f'<h1>{round_.version.title}</h1>' in page  # the round, not an error page
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def _page_lock(round_id: int) -> dict:
    # What the round page's form sends: the round's version as the page showed it.
    db.session.expire_all()
    return {"lock_version": str(db.session.get(AssessmentRound, round_id).lock_version)}


def test_a_confirmation_that_does_not_say_its_page_is_refused(client):
    # It counted for a decision recorded after the page it came from.
    cast = make_cast()
    round_ = drive(cast, "decided")
    db.session.commit()
    login(client, cast.reviewer_a)

    response = client.post(f"/procedure/rondes/{round_.id}/bevestigen")

    assert response.status_code == 409
    assert "Laad de pagina opnieuw" in response.get_data(as_text=True)
    assert not any(vote.confirmed_at for vote in current_decision_of(round_).votes)


def test_the_owner_reads_the_decision_once_it_is_published(client):
    # Before, the panel may still reopen the discussion and decide otherwise.
    cast = make_cast()
    round_ = drive(cast, "decided")
    db.session.commit()
    login(client, cast.owner)
    page = f"/procedure/rondes/{round_.id}"

    before = client.get(page).get_data(as_text=True)
    advance(cast, round_, "published", start="decided")
    db.session.commit()
    after = client.get(page).get_data(as_text=True)

    assert 'id="besluit"' not in before
    assert 'id="besluit"' in after
