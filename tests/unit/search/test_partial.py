"""Few full matches: the records matching most of the words follow, ranked; an empty
result offers the same text with one word fewer, with the count that gives. The search
page asks for both (alternatives=True); the API, exports and feeds show neither."""

import pytest

from tests.factories import make_intervention


@pytest.fixture
def catalogue(index):
    make_intervention(title="Schuldhulp", summary="Schulden regelen met een budgetcoach.")
    make_intervention(title="Werkervaring", summary="Werkervaring opdoen bij een werkgever.")
    make_intervention(title="Schulden en werk", summary="Werkervaring opdoen en schulden regelen.")
    make_intervention(title="Taalcursus", summary="Nederlands leren.")
    index.sync()
    return index


def _search(catalogue, text: str, **kwargs):
    return catalogue.search(text, alternatives=True, **kwargs)


def _titles(catalogue, ids):
    from registry.extensions import db
    from registry.models import Intervention

    return [db.session.get(Intervention, i).published_version.title for i in ids]


def test_records_with_most_of_the_words_follow_the_full_matches(catalogue):
    result = _search(catalogue, "werkervaring schulden budgetcoach")

    partial = [(hit.matched, hit.intervention_id) for hit in result.partial]

    assert result.total == 0
    assert [m for m, _ in partial] == [2, 2, 1]
    assert _titles(catalogue, [i for _, i in partial])[2] == "Werkervaring"
    two = [hit.score for hit in result.partial if hit.matched == 2]
    assert two == sorted(two, reverse=True)  # by relevance within a count


def test_full_matches_are_not_repeated_among_the_partial_ones(catalogue):
    result = _search(catalogue, "werkervaring schulden")
    full = {i for i, _ in result.hits}
    assert full and not full & {hit.intervention_id for hit in result.partial}


def test_no_partial_matches_for_a_single_word(catalogue):
    assert _search(catalogue, "budgetcoachen").partial == []


def test_partial_matches_respect_the_filters(catalogue):
    result = _search(catalogue, "werkervaring budgetcoach", filters={"level": ["expired"]})
    assert result.partial == []


def test_an_empty_result_offers_each_word_left_out(catalogue):
    result = _search(catalogue, "budgetcoach nederlands")
    drops = {(drop.word, drop.text, drop.count) for drop in result.word_drops}
    assert drops == {("budgetcoach", "nederlands", 1), ("nederlands", "budgetcoach", 1)}


def test_excluded_words_stay_excluded_among_partial_matches(catalogue):
    result = _search(catalogue, "werkervaring budgetcoach NOT schulden")
    assert _titles(catalogue, [hit.intervention_id for hit in result.partial]) == ["Werkervaring"]


def test_partial_matches_and_word_drops_only_when_asked_for(catalogue):
    asked = _search(catalogue, "budgetcoach nederlands")
    plain = catalogue.search("budgetcoach nederlands")
    assert asked.partial and asked.word_drops
    assert (plain.total, plain.partial, plain.word_drops) == (asked.total, [], [])


def test_the_spelling_suggestion_can_be_left_out(catalogue):
    assert catalogue.search("budgetcoah").suggestion == "budgetcoach"
    assert catalogue.search("budgetcoah", suggest=False).suggestion is None
