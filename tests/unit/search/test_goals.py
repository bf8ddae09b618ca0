"""A client's goal widened with near-words from the versioned synonym list."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.search.goals import expand_goal, synonym_groups


@pytest.mark.parametrize(("goal", "added"), [
    ("Geldzorgen staan werk in de weg", "schulden"),
    ("Nederlands leren", "taalvaardigheid"),
    ("een baan vinden", "betaald werk"),
    # Everyday phrasings of the 2026.3 list (written blind to the judged profiles).
    ("wil voor zichzelf beginnen als kapper aan huis", "ondernemen"),
    ("er staat steeds een deurwaarder op de stoep", "schulden"),
    ("na een burn-out weer aan de slag", "psychische klachten"),
    ("mantelzorger voor zijn moeder", "zorgtaken"),
])
def test_a_goal_gains_the_near_words_of_what_it_names(goal, added):
    widened = expand_goal(goal)
    assert widened.startswith(goal) and added in widened


def test_a_word_inside_another_word_does_not_count():
    assert expand_goal("Taalgebruik") == "Taalgebruik"  # "taal" is no whole word here


def test_a_goal_without_known_words_stays_as_it_is():
    assert expand_goal("iets heel anders") == "iets heel anders"


def test_every_group_has_several_distinct_lower_case_words():
    assert all(len(set(group)) == len(group) >= 2 for group in synonym_groups())
    assert all(word == word.lower() for group in synonym_groups() for word in group)


def test_no_word_widens_into_two_groups():
    words = [word for group in synonym_groups() for word in group]
    assert len(words) == len(set(words))


def test_each_group_names_a_facet_value_of_the_vocabularies(app, db_session):
    import json

    from sqlalchemy import select

    from registry.models import VocabularyTerm
    from registry.search.goals import SYNONYMS

    known = {f"{v}:{c}" for v, c in db_session.execute(
        select(VocabularyTerm.vocabulary, VocabularyTerm.code))}
    named = [g["facet"] for g in json.loads(SYNONYMS.read_text())["groups"] if g["facet"]]
    assert named and set(named) <= known


@given(words=st.lists(st.sampled_from(
    ["schulden", "geld", "geldzorgen", "een baan", "baan", "werk", "betaald werk", "werk-",
     "c++", "(taal)", "taal", "nederlands leren", "-", "a.b"]), max_size=8),
    phrases=st.lists(st.sampled_from(
        ["schulden", "geld", "een baan", "werk", "c++", "(taal)", "taal", "a.b", "leren"]),
        max_size=4, unique=True))
def test_a_group_matches_when_one_of_its_phrases_does(words, phrases):
    from registry.search.goals import _contains, _contains_any

    text = " ".join(words)
    assert _contains_any(text, tuple(phrases)) == any(_contains(text, p) for p in phrases)
