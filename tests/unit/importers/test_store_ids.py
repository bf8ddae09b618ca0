"""insert_with_ids: the new rows' ids in the rows' order, on either database (on
PostgreSQL taken from the sequence first, then inserted without RETURNING)."""

from sqlalchemy import select

from importers.store import insert_with_ids
from registry.extensions import db
from registry.models import Study
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
