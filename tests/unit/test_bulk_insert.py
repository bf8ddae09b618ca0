"""registry/bulk_insert.py on either database (PostgreSQL: ids from the sequence, rows
by COPY with the defaults SQLAlchemy would apply): the same rows as an INSERT."""

from sqlalchemy import select

from registry.bulk_insert import insert_rows, insert_with_ids
from registry.extensions import db
from registry.models import ImportBatch, ImportBatchItem, SearchChange, Study
from registry.models.search_change import current_txid
from tests.factories import StudyFactory


def test_each_row_gets_its_own_id_in_order(db_session):
    StudyFactory()  # the sequence has moved before
    rows = [{"title": f"Studie {n}", "keywords": ["werk"], "ongoing": False,
             "title_key": f"studie {n}"} for n in range(7)]

    ids = insert_with_ids(Study.__table__, rows)

    stored = dict(db.session.execute(select(Study.id, Study.title).where(Study.id.in_(ids))).all())
    assert [stored[i] for i in ids] == [f"Studie {n}" for n in range(7)]
    assert len(set(ids)) == 7 and insert_with_ids(Study.__table__, []) == []
    assert db.session.scalar(select(Study.keywords).where(Study.id == ids[0])) == ["werk"]


def test_later_rows_get_later_ids(db_session):
    first = insert_with_ids(Study.__table__, [{"title": "Eerste", "ongoing": False}])
    second = StudyFactory()  # an ordinary insert after it takes the next id
    assert second.id > first[0]


def test_defaults_are_applied_as_an_insert_applies_them(db_session):
    insert_rows(SearchChange.__table__, [{"entity_type": "study", "entity_id": 7}])

    change = db.session.scalars(select(SearchChange).where(SearchChange.entity_id == 7)).one()
    assert change.recorded_at is not None
    assert change.txid == db.session.scalar(select(current_txid()))


def test_json_values_and_python_defaults_are_stored_as_an_insert_stores_them(db_session):
    batch = ImportBatch(kind="studies", format="ris", file_name="a.ris", file_sha256="0" * 64,
                        channel="cli")
    db.session.add(batch)
    db.session.flush()
    study_id = insert_with_ids(Study.__table__, [{"title": "Studie", "ongoing": False}])[0]
    insert_rows(ImportBatchItem.__table__, [{
        "batch_id": batch.id, "record_number": 1, "action": "merged", "study_id": study_id,
        "previous_values": {"title": None, "year": 2020}, "changed_fields": ["title"]}])

    item = db.session.scalars(select(ImportBatchItem).where(
        ImportBatchItem.study_id == study_id)).one()
    assert (item.previous_values, item.changed_fields, item.link_ids) == (
        {"title": None, "year": 2020}, ["title"], [])
    assert db.session.get(Study, study_id).keywords == []
