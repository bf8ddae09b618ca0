"""Which changes reach the index: every table a document reads has a rule, the rules touch
the right records, and only the app's sessions record changes."""

import io

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from importers.findings import import_findings
from registry.extensions import db
from registry.models import Intervention, SearchChange, Study, StudyAuthor
from registry.search import changes
from registry.search.documents import tables_read
from registry.search.study_documents import tables_read as study_tables_read
from tests.factories import FindingFactory, StudyFactory, link, make_intervention


def _logged_ids(session) -> set[int]:
    return set(session.scalars(select(SearchChange.entity_id)))


def test_every_table_a_document_reads_has_a_change_rule():
    assert tables_read() <= set(changes.RULES)
    # The reading is found, not listed by hand: the tag tables are among them.
    assert {"vocabulary_terms", "intervention_version_tags"} <= tables_read()


def test_a_rule_for_a_table_documents_do_not_read_is_refused_too():
    # A rule the document does not need would re-index records for nothing.
    assert set(changes.RULES) <= tables_read()


def test_editing_a_published_version_logs_its_intervention(db_session):
    intervention = make_intervention(title="Werkfit")
    db_session.flush()
    db_session.execute(SearchChange.__table__.delete())
    intervention.published_version.summary = "Anders"
    db_session.flush()
    assert _logged_ids(db_session) == {intervention.id}


def _logged(session) -> set[tuple[str, int]]:
    return set(session.execute(select(SearchChange.entity_type, SearchChange.entity_id)))


def test_linking_a_study_logs_the_study_and_the_intervention(db_session):
    # A study's document says it is linked; the intervention's has its outcome domains.
    intervention = make_intervention(title="Werkfit")
    study = Study(title="Een proef")
    db_session.add(study)
    db_session.flush()
    db_session.execute(SearchChange.__table__.delete())
    link(intervention, study)
    assert _logged(db_session) == {("study", study.id), ("intervention", intervention.id)}


def test_a_new_finding_logs_the_interventions_of_its_study(db_session):
    intervention = make_intervention(title="Werkfit")
    study = StudyFactory()
    link(intervention, study)
    db_session.execute(SearchChange.__table__.delete())
    FindingFactory(study=study)
    db_session.flush()
    assert ("intervention", intervention.id) in _logged(db_session)


def test_findings_written_in_bulk_log_the_interventions_of_their_studies(db_session):
    intervention = make_intervention(title="Werkfit")
    study = StudyFactory(doi="10.5555/bulk")
    link(intervention, study)
    db_session.execute(SearchChange.__table__.delete())
    csv = ("study,outcome_domain,measure,direction\n"
           "10.5555/bulk,income,Uitkomst,favourable\n")
    report = import_findings(io.BytesIO(csv.encode()), "f.csv", commit=True)
    assert report.errors == []
    assert ("intervention", intervention.id) in _logged(db_session)


def test_every_table_a_study_document_reads_has_a_change_rule_and_no_other():
    assert study_tables_read() == set(changes.STUDY_RULES)
    assert {"studies", "study_authors", "intervention_studies"} <= study_tables_read()


def test_a_new_author_logs_the_study(db_session):
    study = Study(title="Een proef")
    db_session.add(study)
    db_session.flush()
    db_session.execute(SearchChange.__table__.delete())
    db_session.add(StudyAuthor(study=study, position=1, family_name="Jansen"))
    db_session.flush()
    logged = set(db_session.execute(select(SearchChange.entity_type, SearchChange.entity_id)))
    assert logged == {("study", study.id)}


def test_listeners_are_on_the_app_sessions_not_on_every_sqlalchemy_session(db_session):
    assert not event.contains(Session, "after_flush", changes.record_changes)
    make_intervention(title="Buiten de app")
    db_session.flush()
    db_session.execute(SearchChange.__table__.delete())
    with Session(db_session.connection()) as plain:
        plain.get(Intervention, db_session.scalar(select(func.max(Intervention.id)))).slug = "x"
        plain.flush()
    assert db.session.scalar(select(func.count(SearchChange.id))) == 0
