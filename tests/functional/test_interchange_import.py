"""flask interventions import | undo: what a record does (new, updated, unchanged,
conflicting, invalid), all or nothing, audit events, and undo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import (
    AssessmentRound,
    AuditEvent,
    EvidenceDecision,
    ImportBatch,
    Intervention,
    InterventionStudy,
    Organisation,
)
from registry.models.base import utcnow
from tests.factories import StudyFactory, make_intervention
from tests.functional.interchange_support import interchange, record, write


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["interventions", *map(str, args)])


def count(model=Intervention) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imported(slug: str = "werkfit-in-de-wijk") -> Intervention:
    return db.session.scalar(select(Intervention).where(Intervention.slug == slug))


def test_a_new_intervention_is_published_with_its_decision_tags_and_ratings(cli, tmp_path):
    result = cli("import", write(tmp_path, interchange(record())))
    assert result.exit_code == 0, result.output
    intervention = imported()
    version = intervention.published_version
    assert (version.status, version.number, intervention.owner.slug) == (
        "published", 1, "stichting-werkfit")
    assert sorted(t.code for t in version.tags) == ["debt", "language", "social_assistance"]
    decision = intervention.current_decision
    assert (decision.outcome, decision.level, decision.published_at is not None) == (
        "well_described", "well_described", True)
    assert [r.outcome_domain.code for r in decision.ratings] == ["work"]
    assert [r.source.code for r in intervention.external_ratings] == ["movisie"]


def test_dry_run_reports_and_writes_nothing(cli, tmp_path):
    result = cli("import", write(tmp_path, interchange(record())), "--dry-run")
    assert (result.exit_code, "nieuw: 1" in result.output, "Proefrun" in result.output) == (
        0, True, True)
    assert (count(), count(ImportBatch), count(Organisation)) == (0, 0, 0)


def test_studies_are_linked_by_doi_pmid_and_title(cli, tmp_path):
    by_doi = StudyFactory(doi="10.5555/werkfit.1")
    by_pmid = StudyFactory(doi=None, pmid="31234567")
    by_title = StudyFactory(doi=None, pmid=None, title="Werkfit in de wijk: een evaluatie",
                            year=2022)
    refs = [{"doi": "https://doi.org/10.5555/WERKFIT.1"}, {"pmid": "31234567"},
            {"title": "Werkfit in de wijk. Een evaluatie", "year": 2022, "relation": "process"}]
    result = cli("import", write(tmp_path, interchange(record(studies=refs))))
    assert result.exit_code == 0, result.output
    links = {link.study_id: link.relation for link in imported().study_links}
    assert links == {by_doi.id: "effect", by_pmid.id: "effect", by_title.id: "process"}


def test_each_imported_intervention_has_an_audit_event(cli, tmp_path):
    cli("import", write(tmp_path, interchange(record(), record(slug="tweede"))))
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import_intervention")).all()
    assert sorted(e.intervention_id for e in events) == sorted(
        [imported().id, imported("tweede").id])


def test_the_same_file_again_changes_nothing(cli, tmp_path):
    path = write(tmp_path, interchange(record()))
    cli("import", path)
    result = cli("import", path)
    assert ("ongewijzigd: 1" in result.output, "Niets gewijzigd" in result.output) == (True, True)
    assert (count(ImportBatch), len(imported().versions)) == (1, 1)


def test_a_changed_description_becomes_a_new_version_and_undo_restores_the_old(cli, tmp_path):
    cli("import", write(tmp_path, interchange(record())))
    result = cli("import", write(tmp_path, interchange(record(summary="Nieuwe samenvatting."))))
    assert "bijgewerkt: 1" in result.output, result.output
    intervention = imported()
    assert ([v.status for v in intervention.versions], intervention.published_version.summary) == (
        ["superseded", "published"], "Nieuwe samenvatting.")
    second = db.session.scalar(select(func.max(ImportBatch.id)))
    assert cli("undo", second).exit_code == 0
    db.session.expire_all()
    intervention = imported()
    assert ([v.status for v in intervention.versions], intervention.published_version.summary) == (
        ["published"], record()["summary"])


def test_a_later_decision_supersedes_the_current_one(cli, tmp_path):
    cli("import", write(tmp_path, interchange(record())))
    later = {"outcome": "well_founded", "decided_on": "2025-06-01",
             "rationale": "De theorie en de werkzame elementen zijn nu onderbouwd."}
    cli("import", write(tmp_path, interchange(record(decisions=[*record()["decisions"], later]))))
    intervention = imported()
    first = next(d for d in intervention.decisions if d.outcome == "well_described")
    assert (intervention.current_decision.outcome, first.superseded_at is not None) == (
        "well_founded", True)


def test_undo_removes_what_the_batch_added(cli, tmp_path):
    study = StudyFactory(doi="10.5555/werkfit.1")
    cli("import", write(tmp_path, interchange(record(studies=[{"doi": study.doi}]))))
    batch_id = db.session.scalar(select(ImportBatch.id))
    result = cli("undo", batch_id)
    assert result.exit_code == 0, result.output
    assert (count(), count(EvidenceDecision), count(InterventionStudy)) == (0, 0, 0)
    assert db.session.get(ImportBatch, batch_id).state == "undone"


@pytest.mark.parametrize("ref", [{"doi": "onbekend"}, {"doi": "10.abc"}, {"title": "..."}])
def test_a_reference_that_names_nothing_links_no_study(cli, tmp_path, ref):
    StudyFactory(doi=None, title="Een heel andere studie")  # no DOI: IS NULL matched it
    result = cli("import", write(tmp_path, interchange(record(studies=[ref]))))
    assert (result.exit_code, count(), count(InterventionStudy)) == (1, 0, 0)


def test_undo_of_a_batch_that_added_a_rating_only_tells_the_search_index(cli, tmp_path):
    from registry.models import SearchChange

    cli("import", write(tmp_path, interchange(record())))
    wwc = {"source": "wwc", "label": "Positive", "rated_on": "2023-01-01"}
    cli("import", write(tmp_path, interchange(record(
        external_ratings=[*record()["external_ratings"], wwc]))))
    second = max(db.session.scalars(select(ImportBatch.id)))
    db.session.execute(SearchChange.__table__.delete())
    assert cli("undo", second).exit_code == 0
    db.session.flush()
    changed = db.session.scalars(select(SearchChange.entity_id).where(
        SearchChange.entity_type == "intervention")).all()
    assert changed == [imported().id]


def test_undo_is_refused_while_a_later_import_changed_the_intervention(cli, tmp_path):
    study = StudyFactory(doi="10.5555/werkfit.1")
    cli("import", write(tmp_path, interchange(record())))
    cli("import", write(tmp_path, interchange(record(studies=[{"doi": study.doi}]))))
    first, second = sorted(db.session.scalars(select(ImportBatch.id)))
    refused = cli("undo", first)
    assert (refused.exit_code, f"Import {second}" in refused.output, count()) == (1, True, 1)
    assert cli("undo", second).exit_code == 0 and cli("undo", first).exit_code == 0
    assert count() == 0


def test_undo_is_refused_once_a_procedure_started_on_the_intervention(cli, tmp_path):
    cli("import", write(tmp_path, interchange(record())))
    intervention = imported()
    db.session.add(AssessmentRound(intervention_id=intervention.id,
                                   version_id=intervention.published_version_id,
                                   kind="reassessment", state="draft"))
    db.session.flush()
    result = cli("undo", db.session.scalar(select(ImportBatch.id)))
    assert (result.exit_code, "na de import gewijzigd" in result.output, count()) == (1, True, 1)


def test_an_intervention_in_procedure_here_is_a_conflict_and_nothing_is_written(cli, tmp_path):
    existing = make_intervention(slug="werkfit-in-de-wijk")
    db.session.add(AssessmentRound(intervention_id=existing.id,
                                   version_id=existing.published_version_id, state="draft"))
    db.session.commit()  # a savepoint here: the failing command rolls back its own work
    result = cli("import", write(tmp_path, interchange(record(), record(slug="nieuw"))))
    assert (result.exit_code, "conflict, record 1" in result.output) == (1, True)
    assert (count(), count(ImportBatch), imported("nieuw")) == (1, 0, None)


def test_a_decision_on_record_that_the_file_leaves_out_is_a_conflict(cli, tmp_path):
    existing = make_intervention(slug="werkfit-in-de-wijk", outcome="effective_first")
    existing.current_decision.published_at = utcnow()
    db.session.commit()
    result = cli("import", write(tmp_path, interchange(record())))
    assert (result.exit_code, "niet in het bestand" in result.output) == (1, True)


@pytest.mark.parametrize(("document", "expected"), [
    (interchange(record(), schema_version=2), "Schemaversie 2"),
    (interchange(record(), format="iets-anders"), "geen uitwisselbestand"),
    ('{"format": "interventies-naar-werk/interventions", "interventions": [', "ongeldig"),
    ("[" * 5000 + "]" * 5000, "geen JSON-uitwisselbestand"),
    ('{"a":' * 5000 + "1" + "}" * 5000, "te diep genest"),
])
def test_a_file_refused_as_a_whole_writes_nothing(cli, tmp_path, document, expected):
    result = cli("import", write(tmp_path, document))
    assert (result.exit_code, expected in result.output) == (1, True), result.output
    assert (count(), count(ImportBatch)) == (0, 0)


@pytest.mark.parametrize(("bad", "where"), [
    (record(tags={"barrier": ["bestaat-niet"]}), "tags.barrier: Onbekende code: bestaat-niet"),
    (record(decisions=[{"outcome": "well_described", "decided_on": "2024-03-01"}]),
     "decisions.0.rationale: Dit veld is verplicht."),
    (record(decisions=[{"outcome": "well_described", "decided_on": "2024-03-01",
                        "rationale": "  "}]),
     "decisions.0.rationale"),
    (record(studies=[{"doi": "10.5555/onbekend"}]), "studies.0.doi: Geen studie met deze DOI"),
    (record(decisions=[{**record()["decisions"][0], "ratings": [
        {"outcome_domain": "geluk", "level": "well_described"}]}]),
     "decisions.0.ratings.0.outcome_domain: Onbekend uitkomstdomein"),
    (record(external_ratings=[{"source": "nergens", "label": "A"}]),
     "external_ratings.0.source: Onbekende databank"),
    (record(owner="onbekend"), "owner: Onbekende organisatie: onbekend"),
    (record(decisions=[{**record()["decisions"][0], "study_appraisals": [
        {"doi": "10.5555/onbekend", "rating": "meets_with_reservations"}]}]),
     "decisions.0.study_appraisals.0.doi: Geen studie met deze DOI"),
    (record(decisions=[{**record()["decisions"][0], "study_appraisals": [
        {"doi": "10.5555/x", "rating": "prima"}]}]),
     "decisions.0.study_appraisals.0.rating"),
    (record(summary=None), "summary: Dit veld is verplicht."),
    (record(decisions=[{"outcome": "provisional", "level": "well_founded",
                        "decided_on": "2024-03-01", "rationale": "Onder voorbehoud erkend."}]),
     "decisions.0.conditions"),
])
def test_an_invalid_record_names_its_number_and_field_and_nothing_is_written(
        cli, tmp_path, bad, where):
    result = cli("import", write(tmp_path, interchange(record(slug="goed"), bad)))
    assert (result.exit_code, "ongeldig, record 2" in result.output, where in result.output) == (
        1, True, True), result.output
    assert (count(), count(ImportBatch), count(Organisation)) == (0, 0, 0)


def test_duplicate_slugs_in_one_file_are_invalid(cli, tmp_path):
    result = cli("import", write(tmp_path, interchange(record(), record(title="Dubbel"))))
    assert ("ongeldig, record 2" in result.output, "slug: Deze slug staat ook in record 1"
            in result.output, count()) == (True, True, 0)


def test_blank_rationale_is_refused(cli, tmp_path):
    bad = record(decisions=[{"outcome": "well_described", "decided_on": "2024-03-01",
                             "rationale": ""}])
    result = cli("import", write(tmp_path, interchange(bad)))
    assert (result.exit_code, "decisions.0.rationale" in result.output) == (1, True)


def test_an_unpublished_decision_here_is_a_conflict(cli, tmp_path):
    make_intervention(slug="werkfit-in-de-wijk", outcome="effective_first")
    db.session.commit()
    result = cli("import", write(tmp_path, interchange(record())))
    assert (result.exit_code, "in procedure" in result.output) == (1, True)


def test_undo_of_a_later_decision_makes_the_earlier_one_current_again(cli, tmp_path):
    cli("import", write(tmp_path, interchange(record())))
    later = {"outcome": "well_founded", "decided_on": "2025-06-01",
             "rationale": "De theorie en de werkzame elementen zijn nu onderbouwd."}
    cli("import", write(tmp_path, interchange(record(decisions=[*record()["decisions"], later]))))
    result = cli("undo", db.session.scalar(select(func.max(ImportBatch.id))))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    intervention = imported()
    assert [(d.outcome, d.superseded_at) for d in intervention.decisions] == [
        ("well_described", None)]
    assert intervention.current_decision.outcome == "well_described"


def test_the_panels_appraisal_of_a_study_comes_along_with_its_decision(cli, tmp_path):
    linked = StudyFactory(doi="10.5555/gekoppeld")
    other = StudyFactory(doi="10.5555/los")
    decision = {**record()["decisions"][0], "study_appraisals": [
        {"doi": linked.doi, "rating": "meets_with_reservations", "reason": "Kleine groep."}]}
    good = record(studies=[{"doi": linked.doi}], decisions=[decision])
    assert cli("import", write(tmp_path, interchange(good))).exit_code == 0
    (appraisal,) = imported().decisions[0].study_appraisals
    assert (appraisal.study_id, appraisal.rating, appraisal.reason) == (
        linked.id, "meets_with_reservations", "Kleine groep.")
    stray = {**decision, "study_appraisals": [{"doi": other.doi, "rating": "does_not_meet"}]}
    result = cli("import", write(tmp_path, interchange(
        record(slug="ander", studies=[{"doi": linked.doi}], decisions=[stray])), "b.json"))
    assert result.exit_code == 1
    assert "decisions.0.study_appraisals.0.title: De commissie beoordeelde een studie die " \
           "niet bij de studies" in result.output
