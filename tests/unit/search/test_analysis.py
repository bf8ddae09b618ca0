"""Dutch analysis: stemming, plurals, accent folding, stop words, compound prefixes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search_index.analysis import DUTCH_ANALYZER, PREFIX_ANALYZER
from tests.factories import make_intervention


def tokens(text: str) -> list[str]:
    return [t.text for t in DUTCH_ANALYZER(text)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("interventie", "interventies"),
        ("cliënt", "client"),
        ("cliënten", "client"),
        ("idee", "ideeën"),
        ("jongere", "jongeren"),
        ("traject", "trajecten"),
        # Plurals of words ending in s or ch, which the stemmer alone keeps apart.
        ("werkervaringsplaats", "werkervaringsplaatsen"),
        ("participatieplaats", "participatieplaatsen"),
        ("taalcursus", "taalcursussen"),
        ("jobcoach", "jobcoaches"),
    ],
)
def test_word_forms_share_one_term(one, other):
    assert tokens(one) == tokens(other)


def test_stop_words_are_dropped():
    assert tokens("de cliënt en het werk") == tokens("cliënt werk")
    assert tokens("wil van zijn schulden af") == tokens("schulden")


def test_title_prefixes_index_compound_heads():
    indexed = [t.text for t in PREFIX_ANALYZER("Schuldhulpverlening")]
    assert "schuldhulp" in indexed


def test_query_word_stays_whole_in_prefix_field():
    assert [t.text for t in PREFIX_ANALYZER("Schuldhulp", mode="query")] == ["schuldhulp"]


def test_accented_query_finds_plain_text(index):
    make_intervention(title="Client centraal", summary="Begeleiding van de client.")
    index.sync()
    assert index.titles("cliënt") == ["Client centraal"]


def test_plain_query_finds_accented_text(index):
    make_intervention(title="Cliëntgesprek", summary="Een gesprek met de cliënt over werk.")
    index.sync()
    assert index.titles("client") == ["Cliëntgesprek"]


def test_plural_query_finds_singular(index):
    make_intervention(title="Eén aanpak", summary="Een interventie voor werkzoekenden.")
    index.sync()
    assert index.titles("interventies") == ["Eén aanpak"]


def test_compound_prefix_finds_longer_title_word(index):
    make_intervention(title="Schuldhulpverlening voor gezinnen", summary="Hulp bij geldzaken.")
    index.sync()
    assert index.titles("schuldhulp") == ["Schuldhulpverlening voor gezinnen"]


def test_title_match_ranks_above_summary_match(index):
    make_intervention(title="Taalcoaching", summary="Begeleiding naar werk met jobcoaching.")
    make_intervention(title="Jobcoaching op de werkvloer", summary="Begeleiding naar werk.")
    index.sync()
    assert index.titles("jobcoaching")[0] == "Jobcoaching op de werkvloer"


@pytest.mark.parametrize(
    "options",
    [{}, {"positions": True, "chars": True, "start_pos": 4, "start_char": 9},
     {"mode": "query", "chars": True, "removestops": False}],
)
def test_one_step_tokenizer_matches_the_filter_chain(options):
    from search_index.analysis import DUTCH_CHAIN

    text = "De cliënten en hun ideeën: interventies van Één gemeente, e.g. 3.5 uur werk!"

    def seen(analyzer):
        return [(t.text, t.stopped, getattr(t, "pos", None), getattr(t, "startchar", None))
                for t in analyzer(text, **options)]

    assert seen(DUTCH_ANALYZER) == seen(DUTCH_CHAIN)


def test_the_word_pattern_for_findall_is_the_tokenizers_without_its_group():
    from search_index.analysis import _WORD, _WORDS

    assert _WORDS.pattern == _WORD.pattern.replace("(\\.?", "(?:\\.?")
    assert _WORDS.groups == 0 and _WORDS.flags == _WORD.flags


def test_a_word_longer_than_any_dutch_word_is_stemmed_but_not_kept():
    from search_index import analysis

    long_word = "werk" * 20
    assert analysis.dutch_term(long_word) == analysis.dutch_term(long_word)
    assert long_word not in analysis._STEMS
    analysis.dutch_term("werkervaring")
    assert "werkervaring" in analysis._STEMS


@given(st.lists(st.sampled_from(
    ["De", "cliënten", "en", "hun", "ideeën", "interventies", "Één", "e.g.", "3.5", "a",
     "werkervaringsplaatsen", "JOBCOACHES", "naar", "Werk", "schuld-hulp", "café", "x" * 45]),
    max_size=30))
def test_word_terms_are_the_analyzers_terms_with_their_spans(words):
    from search_index.analysis import word_terms

    text = " ".join(words) + "!"
    expected = tuple((t.text, t.startchar, t.endchar) for t in DUTCH_ANALYZER(
        text, chars=True, mode="query", removestops=False))
    assert word_terms(text) == expected
    assert word_terms(text) == expected  # the second time from the kept terms
