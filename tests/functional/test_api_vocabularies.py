"""GET /api/v1/vocabularies and /api/v1/vocabularies/<name>."""

from __future__ import annotations

from sqlalchemy import select

from registry.models import VocabularyTerm
from registry.models.vocabulary import VOCABULARIES


def seeded_terms(db_session, vocabulary: str) -> list[VocabularyTerm]:
    stmt = select(VocabularyTerm).filter_by(vocabulary=vocabulary).order_by("position")
    return list(db_session.scalars(stmt))


def test_list_holds_every_vocabulary_in_order(client):
    body = client.get("/api/v1/vocabularies").get_json()
    assert [v["name"] for v in body["vocabularies"]] == list(VOCABULARIES)


def test_list_holds_the_terms_of_each_vocabulary(client, db_session):
    body = client.get("/api/v1/vocabularies").get_json()
    counts = {v["name"]: len(v["terms"]) for v in body["vocabularies"]}
    assert counts == {name: len(seeded_terms(db_session, name)) for name in VOCABULARIES}


def test_detail_lists_terms_in_order_with_dutch_and_english_labels(client, db_session):
    body = client.get("/api/v1/vocabularies/support_need").get_json()
    expected = [(t.code, t.label_nl, t.label_en) for t in seeded_terms(db_session, "support_need")]
    assert [(t["code"], t["label_nl"], t["label_en"]) for t in body["terms"]] == expected


def test_detail_keeps_inactive_terms_marked_as_such(client, db_session):
    seeded_terms(db_session, "phase")[0].is_active = False
    db_session.flush()
    terms = client.get("/api/v1/vocabularies/phase").get_json()["terms"]
    assert [t["is_active"] for t in terms][:2] == [False, True]


def test_unknown_vocabulary_is_not_found(client):
    response = client.get("/api/v1/vocabularies/onbekend")
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
