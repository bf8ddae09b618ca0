"""Nominations over HTTP: an intervention put forward, a study recommended (checked
against the registry's studies), the secretary's queue with status and reply, and the
errors for bad input with nothing written."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from importers.pipeline import commit_import
from registry.extensions import db
from registry.models import AuditEvent, Nomination, Notice, Study
from tests.factories import StudyFactory, link, make_intervention
from tests.unit.procedure.support import login, make_user


@pytest.fixture
def people(app):
    professional, secretary = make_user("professional"), make_user("secretary")
    intervention = make_intervention(title="Werkfit Zuid")
    known = StudyFactory(doi="10.1016/j.labeco.2020.101234", pmid="31234567")
    db.session.commit()
    clients = {}
    for name, user in (("professional", professional), ("secretary", secretary)):
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    return professional, secretary, intervention, known, clients


def _count() -> int:
    return db.session.scalar(select(func.count(Nomination.id)))


def test_a_study_is_recommended_from_the_intervention_page(people):
    professional, secretary, intervention, _known, clients = people
    page = clients["professional"].get(f"/interventies/{intervention.slug}").get_data(
        as_text=True)
    assert f"/voordragen?soort=studie&amp;interventie={intervention.slug}" in page
    form = clients["professional"].get(
        f"/voordragen?soort=studie&interventie={intervention.slug}").get_data(as_text=True)
    assert 'value="study" checked' in form and 'value="Werkfit Zuid"' in form
    response = clients["professional"].post("/voordragen", data={
        "kind": "study", "intervention_slug": intervention.slug,
        "intervention_title": "Werkfit Zuid", "doi": "https://doi.org/10.1177/0001",
        "reason": "Een nieuwe RCT in twee gemeenten."})
    assert response.status_code == 302
    nomination = db.session.scalars(select(Nomination)).one()
    assert (nomination.kind, nomination.doi, nomination.study_id) == (
        "study", "10.1177/0001", None)  # not in the registry yet
    assert nomination.intervention_id == intervention.id
    assert db.session.scalars(select(Notice).filter_by(
        user_id=secretary.id, kind="nomination")).one()


def test_a_known_study_is_matched_by_pmid_and_one_already_linked_is_refused(people):
    _professional, _secretary, intervention, known, clients = people
    data = {"kind": "study", "intervention_title": "werkfit zuid", "pmid": "31234567",
            "reason": "Deze studie hoort erbij."}
    assert clients["professional"].post("/voordragen", data=data).status_code == 302
    assert db.session.scalars(select(Nomination)).one().study_id == known.id
    link(intervention, known)
    db.session.commit()
    refused = clients["professional"].post("/voordragen", data=data)
    assert refused.status_code == 422
    assert "al aan deze interventie gekoppeld" in refused.get_data(as_text=True)
    assert _count() == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "study", "intervention_title": "Werkfit Zuid", "doi": "doi: onbekend"},
     "doi", "is geen DOI"),
    ({"kind": "study", "intervention_title": "Werkfit Zuid", "pmid": "PMC12"},
     "pmid", "is geen PMID"),
    ({"kind": "study", "intervention_title": "Werkfit Zuid"},
     "doi", "Geef de DOI of het PubMed-nummer"),
    ({"kind": "study", "intervention_title": "Bestaat niet", "doi": "10.1177/0001"},
     "intervention_title", "staat niet in de databank"),
    ({"kind": "intervention"}, "intervention_title", "Geef de naam van de interventie"),
    ({"kind": "verzoek", "intervention_title": "x"}, "kind", ""),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(people, data, field, message):
    clients = people[-1]
    response = clients["professional"].post(
        "/voordragen", data={"reason": "Goede redenen genoeg.", **data})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'id="{field}-fouten"' in text or f'href="#{field}' in text
    assert message in text
    assert _count() == 0


def test_an_intervention_not_in_the_catalogue_is_nominated_by_name(people):
    clients = people[-1]
    response = clients["professional"].post("/voordragen", data={
        "kind": "intervention", "intervention_title": "Buurtbanen Noord",
        "reason": "Werkt goed in onze gemeente, nog nooit beoordeeld."})
    assert response.status_code == 302
    nomination = db.session.scalars(select(Nomination)).one()
    assert (nomination.name, nomination.intervention_id) == ("Buurtbanen Noord", None)


def test_one_user_makes_at_most_a_days_worth_of_nominations(people, monkeypatch):
    from registry.services import nominations

    monkeypatch.setattr(nominations, "MAX_PER_DAY", 2)
    clients = people[-1]
    answers = [clients["professional"].post("/voordragen", data={
        "kind": "intervention", "intervention_title": f"Buurtbanen {n}",
        "reason": "Werkt goed in onze gemeente, nog nooit beoordeeld."}).status_code
        for n in range(3)]
    assert (answers, _count()) == ([302, 302, 422], 2)


def test_the_secretary_replies_and_the_nominator_sees_it(people):
    professional, _secretary, _intervention, _known, clients = people
    clients["professional"].post("/voordragen", data={
        "kind": "intervention", "intervention_title": "Buurtbanen Noord",
        "reason": "Werkt goed in onze gemeente."})
    nomination = db.session.scalars(select(Nomination)).one()
    queue = clients["secretary"].get("/procedure/voordrachten").get_data(as_text=True)
    assert "Buurtbanen Noord" in queue and "nog niet in de databank" in queue
    # Declining needs a reply.
    refused = clients["secretary"].post(f"/procedure/voordrachten/{nomination.id}",
                                        data={"status": "declined"})
    assert refused.status_code == 422
    # The refused form keeps what was chosen, not the stored status, and the reply's
    # field carries its message.
    assert '<option value="declined" selected>' in refused.get_data(as_text=True)
    assert (f'aria-describedby="reply-{nomination.id}-fouten" aria-invalid="true"'
            in refused.get_data(as_text=True))
    db.session.refresh(nomination)
    assert nomination.status == "new"
    response = clients["secretary"].post(f"/procedure/voordrachten/{nomination.id}", data={
        "status": "in_progress", "reply": "We vragen de eigenaar om een beschrijving."})
    assert response.status_code == 302
    db.session.refresh(nomination)
    assert nomination.status == "in_progress"
    assert db.session.scalars(select(Notice).filter_by(
        user_id=professional.id, kind="nomination")).one()
    assert db.session.scalars(select(AuditEvent).filter_by(
        action="nomination_handled", entity_id=nomination.id)).one()
    dashboard = clients["professional"].get("/mijn/").get_data(as_text=True)
    assert "In behandeling" in dashboard and "We vragen de eigenaar" in dashboard


def test_an_ongoing_linked_trial_is_shown_as_research_underway(people):
    _p, _s, intervention, _known, clients = people
    trial = StudyFactory(title="Werkfit Zuid: gerandomiseerde trial", ongoing=True,
                         trial_registration="NL-OMON54321")
    link(intervention, trial)
    db.session.commit()
    page = clients["professional"].get(f"/interventies/{intervention.slug}").get_data(
        as_text=True)
    underway = page[page.index('id="onderzoek-loopt"'):]
    assert "Werkfit Zuid: gerandomiseerde trial" in underway
    assert "NL-OMON54321" in underway


def test_a_running_trial_is_imported_from_registry_json(db_session):
    record = {"title": "Werkfit Zuid: gerandomiseerde trial", "year": None,
              "ongoing": True, "trial_registration": "NCT01234567",
              "expected_end": "2027-06-30"}
    commit_import(io.BytesIO(json.dumps([record]).encode()), "trials.json")
    study = db.session.scalars(select(Study).filter_by(trial_registration="NCT01234567")).one()
    assert (study.ongoing, study.expected_end) == (True, date(2027, 6, 30))
    other = {"title": "Een afgeronde studie", "year": 2020}
    commit_import(io.BytesIO(json.dumps([other]).encode()), "done.json")
    assert db.session.scalars(select(Study).filter_by(title="Een afgeronde studie")).one(
        ).ongoing is False


@pytest.mark.parametrize("shown", ["gisteren", "<script>", "x" * 500])
def test_a_garbled_shown_status_is_refused_and_nothing_is_written(people, shown):
    _professional, _secretary, _intervention, _known, clients = people
    clients["professional"].post("/voordragen", data={
        "kind": "intervention", "intervention_title": "Buurtbanen Noord",
        "reason": "Werkt goed in onze gemeente."})
    nomination = db.session.scalars(select(Nomination)).one()
    refused = clients["secretary"].post(f"/procedure/voordrachten/{nomination.id}", data={
        "status": "accepted", "reply": "Goed idee.", "status_shown": shown})
    assert refused.status_code == 422
    assert "<script>" not in refused.get_data(as_text=True).split("<main", 1)[1]
    db.session.refresh(nomination)
    assert (nomination.status, nomination.reply) == ("new", None)
    assert not db.session.scalars(select(AuditEvent).filter_by(
        action="nomination_handled")).first()
