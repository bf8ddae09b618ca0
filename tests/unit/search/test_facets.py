"""Facet semantics: OR within a facet, AND across facets, counts without own filter."""

import pytest

from tests.factories import make_intervention


@pytest.fixture
def catalogue(index):
    make_intervention(title="A schulden jong", tags={"barrier": ["debt"], "age_band": ["under_27"]})
    make_intervention(title="B taal jong", tags={"barrier": ["language"], "age_band": ["under_27"]})
    make_intervention(title="C schulden oud", tags={"barrier": ["debt"], "age_band": ["55_plus"]})
    make_intervention(
        title="D psyche oud", tags={"barrier": ["mental_health"], "age_band": ["55_plus"]}
    )
    index.sync()
    return index


def counts(result, facet):
    return {v.value: v.count for v in result.facets[facet]}


def test_values_of_one_facet_combine_with_or(catalogue):
    titles = catalogue.titles(filters={"barrier": ["debt", "language"]}, sort="title")
    assert titles == ["A schulden jong", "B taal jong", "C schulden oud"]


def test_facets_combine_with_and(catalogue):
    titles = catalogue.titles(filters={"barrier": ["debt"], "age_band": ["under_27"]})
    assert titles == ["A schulden jong"]


def test_count_of_a_facet_ignores_its_own_filter(catalogue):
    result = catalogue.search(filters={"barrier": ["debt"], "age_band": ["under_27"]})
    # mental_health would have no result: a value without results is left out.
    assert counts(result, "barrier") == {"debt": 1, "language": 1}


def test_a_chosen_value_without_results_is_counted_and_others_are_left_out(catalogue):
    result = catalogue.search(filters={"barrier": ["language"], "age_band": ["55_plus"]})
    assert counts(result, "barrier") == {"debt": 1, "language": 0, "mental_health": 1}
    assert counts(result, "age_band") == {"55_plus": 0, "under_27": 1}
    assert [(v.value, v.selected) for v in result.facets["age_band"]] == [
        ("55_plus", True), ("under_27", False)]
    assert "region" in result.facets and counts(result, "region") == {}


def test_count_of_other_facets_applies_the_filter(catalogue):
    result = catalogue.search(filters={"barrier": ["debt"]})
    assert counts(result, "age_band") == {"under_27": 1, "55_plus": 1}


def test_chosen_value_without_documents_stays_visible(catalogue):
    result = catalogue.search(filters={"region": ["zeeland"]})
    assert [(v.value, v.count, v.selected) for v in result.facets["region"]] == [
        ("zeeland", 0, True)
    ]


def test_empty_result_offers_dropping_the_filter_that_empties_it(catalogue):
    result = catalogue.search(filters={"barrier": ["language"], "age_band": ["55_plus"]})
    assert result.total == 0
    assert {(r.facet, r.value, r.count) for r in result.relaxations} == {
        ("barrier", "language", 2),
        ("age_band", "55_plus", 1),
    }


def test_text_and_facet_counts_combine(catalogue):
    result = catalogue.search("schulden")
    assert counts(result, "age_band") == {"under_27": 1, "55_plus": 1}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["A schulden jong", "B taal jong", "C schulden oud", "D psyche oud"]),
        ("level", ["B taal jong", "A schulden jong", "C schulden oud", "D psyche oud"]),
    ],
)
def test_sorting(index, sort, expected):
    make_intervention(title="A schulden jong", outcome="well_described")
    make_intervention(title="B taal jong", outcome="effective_strong")
    make_intervention(title="C schulden oud")
    make_intervention(title="D psyche oud", outcome="not_recognised")
    index.sync()
    assert index.titles(sort=sort) == expected


def test_pagination_returns_the_requested_slice(catalogue):
    result = catalogue.search(sort="title", page=2, per_page=3)
    assert (result.total, len(result.hits)) == (4, 1)


def test_misspelt_word_gets_a_suggestion(index):
    make_intervention(title="Jobcoaching", summary="Begeleiding door een jobcoach.")
    index.sync()
    assert index.search("begeleidnig").suggestion == "begeleiding"


@pytest.mark.parametrize("own_count_words", [0, 10**9])
def test_counts_equal_a_count_of_each_values_documents(index, monkeypatch, own_count_words):
    """Whatever the filters, a value's count is the number of documents that have it
    and pass the other facets' filters (and the text): counted here one by one, with a
    filtered facet's own values counted by numpy or one by one (OWN_COUNT_WORDS); each
    facet's values in name order."""
    import random

    from registry.demo.generator import generate
    from search_index import query, searchers
    from search_index.query import SearchRequest, _and, filter_masks, run_search, text_mask

    monkeypatch.setattr(query, "OWN_COUNT_WORDS", own_count_words)
    generate(60)
    index.sync()
    searcher, view = searchers.acquire(index.root)
    rng = random.Random(5)
    for round_number in range(30):
        facets = rng.sample([f for f in view.facets if view.values.get(f)], 3)
        filters = {f: rng.sample(sorted(view.values[f]), 1) for f in facets}
        text = "" if round_number % 2 else "werk"
        result = run_search(searcher, view, SearchRequest(text, filters))
        matched = text_mask(searcher, view, result.query)
        masks = filter_masks(view, filters)
        for facet, values in result.facets.items():
            base = _and(matched, masks, skip=facet)
            expected = {name: (base & mask).bit_count()
                        for name, mask in view.values[facet].items()}
            assert {v.value: v.count for v in values} == {
                name: count for name, count in expected.items()
                if count or name in filters.get(facet, ())}
            assert [v.value for v in values] == sorted(v.value for v in values)
