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


@pytest.mark.parametrize(("goal", "not_added"), [
    ("een VOG aanvragen voor een baan in de thuiszorg", "strafblad"),  # routine for care
    ("wil werken als oppas of op de bso", "zorgtaken"),  # a job, not his care duties
    ("werk bij een ondernemer in de buurt", "zzp"),
    ("dat is zijn eigen zaak", "ondernemen"),
])
def test_a_word_that_often_means_something_else_widens_nothing(goal, not_added):
    assert not_added not in expand_goal(goal)


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


def _searched_terms(index, goal: str) -> list[set[str]]:
    """Per word the profile search reads of the widened goal, its terms."""
    from search_index import ranking, searchers
    from search_index.profile import _goal_words
    from tests.factories import make_intervention

    make_intervention(title="Op weg", summary="Vervoer en reizen naar werk met de fiets.")
    index.sync()
    searcher, view = searchers.acquire(index.root)
    return [{term.text for term in ranking.plain_terms(word)}
            for word in _goal_words(searcher, view, expand_goal(goal))]


def test_every_group_a_goal_names_is_searched(index):
    # The debt group alone has more near-words than the profile search reads of a goal:
    # the groups take turns, so the mobility group's first near-words are searched too.
    searched = set().union(*_searched_terms(index, "schulden, rijbewijs halen"))
    assert {"vervoer", "reiz"} & searched

