"""The diagnosis aid's data: every answer leads to codes of the vocabularies, and answers
become the profile search's query."""

from sqlalchemy import select

from registry.models import VocabularyTerm
from registry.search.diagnosis import MULTIPLE, SINGLE, chosen, guide, profile_query, reasons


def test_every_answer_leads_to_known_codes_of_profile_facets(app, db_session):
    known = set(db_session.execute(select(VocabularyTerm.vocabulary, VocabularyTerm.code)))
    pairs = {f for q in guide().questions() for a in q.answers for f in a.facets}
    assert pairs and pairs <= known
    assert {facet for facet, _ in pairs} <= set(SINGLE) | set(MULTIPLE)


def test_question_keys_are_unique_and_no_step_parameter():
    keys = [q.key for q in guide().questions()]
    assert len(keys) == len(set(keys)) and not {"stap", "doel"} & set(keys)


def test_answers_become_the_profile_query():
    answers = chosen({"schulden": "ja", "nederlands": "nieuwkomer", "trede": "3",
                      "leeftijd": "55_plus"})
    assert profile_query(answers, " werk vinden ") == {
        "barrier": ["debt", "language"], "target_group": ["newcomers", "over_55"],
        "age_band": ["55_plus"], "rung": ["3"], "goal": ["werk vinden"]}


def test_unknown_questions_and_answers_are_left_out():
    assert chosen({"schulden": "misschien", "bsn": "123456782", "trede": "9"}) == {}


def test_reasons_list_only_answers_that_lead_somewhere_in_step_order():
    answers = chosen({"trede": "2", "schulden": "nee", "zonder_werk": "lang"})
    assert [q.key for q, _a in reasons(answers)] == ["zonder_werk", "trede"]
