from sqlalchemy import select

from registry.models import VocabularyTerm


def test_vocabularies_are_loaded(app, db_session):
    count = len(db_session.scalars(select(VocabularyTerm)).all())
    assert count > 80


def test_home_answers(client):
    assert client.get("/").status_code == 200
