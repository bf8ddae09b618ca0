"""Only published interventions are searchable; the change log follows every change."""

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import SearchChange
from tests.factories import make_intervention


def test_draft_is_never_found(index):
    make_intervention(title="Geheim concept", published=False)
    index.sync()
    assert index.search("concept").total == 0


def test_not_recognised_and_expired_are_found_with_their_status(index):
    make_intervention(title="Afgewezen aanpak", outcome="not_recognised")
    make_intervention(title="Verlopen aanpak", outcome="effective_good", expired=True)
    make_intervention(title="Nieuwe aanpak")
    index.sync()
    levels = {v.value: v.count for v in index.search("aanpak").facets["level"]}
    assert levels == {"not_recognised": 1, "expired": 1, "not_assessed": 1}


def test_unpublishing_removes_the_document(index):
    intervention = make_intervention(title="Tijdelijke aanpak")
    index.sync()
    intervention.published_version = None
    index.sync()
    assert index.search("tijdelijke").total == 0


def test_tag_change_is_applied(index):
    intervention = make_intervention(title="Taaltraject", tags={"barrier": ["language"]})
    index.sync()
    from tests.factories import term

    intervention.published_version.tags.append(term("barrier", "debt"))
    index.sync()
    assert index.search(filters={"barrier": ["debt"]}).total == 1


def test_change_is_logged_in_the_same_transaction(db_session):
    make_intervention(title="Gelogde aanpak")
    assert db_session.scalar(select(func.count(SearchChange.id))) >= 1


def test_rollback_leaves_no_change_row(db_session):
    before = db_session.scalar(select(func.count(SearchChange.id)))
    nested = db_session.begin_nested()
    make_intervention(title="Teruggedraaid")
    nested.rollback()
    assert db_session.scalar(select(func.count(SearchChange.id))) == before


def test_sync_leaves_the_change_log_to_other_replicas(index):
    make_intervention(title="Verwerkt")
    index.sync()
    assert db.session.scalar(select(func.count(SearchChange.id))) >= 1


def test_renaming_a_vocabulary_label_reindexes_the_records_that_show_it(index):
    from registry.models import VocabularyTerm
    from registry.search import sync

    make_intervention(title="Met schuldenlabel", tags={"barrier": ["debt"]})
    index.sync()
    term = db.session.scalars(
        select(VocabularyTerm).filter_by(vocabulary="barrier", code="debt")).one()

    term.label_nl = "Geldzorgen"
    index.sync()

    assert not sync.verify(db.session.connection(), index.root)
    assert index.titles("geldzorgen") == ["Met schuldenlabel"]
