"""The users' query language: words, phrases, OR/NOT; stop words never required;
field, range, wildcard, fuzzy and boost syntax is plain text, so no query errors or
expands over the term list."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as q

from search_index import searchers
from search_index.query import (
    MAX_QUERY_WORDS,
    _rewritten,
    clean_text,
    parse_text,
    user_parser,
)
from search_index.schema import TEXT_FIELDS
from tests.factories import make_intervention

EXPANDING = (q.Wildcard, q.Prefix, q.TermRange, q.NumericRange, q.FuzzyTerm, q.Every)


@pytest.fixture
def catalogue(index):
    make_intervention(title="Jobcoach op de werkvloer", summary="Begeleiding naar werk.")
    make_intervention(title="Schuldhulp voor jongeren", summary="Schulden regelen en werk.")
    make_intervention(title="Taalcursus", summary="Nederlands leren zonder diploma.")
    make_intervention(title="Re-integratie naar werk", summary="Aan de slag via re-integratie.")
    index.sync()
    return index


def _nodes(query) -> list:
    return [query, *(node for child in query.children() for node in _nodes(child))]


@pytest.mark.parametrize(
    "text",
    ["title:schuld", "year:[2000 TO]", "[a TO z]", "w* b* s*", "*", "schuld~2",
     "werk^10", "((((werk))))", "schulden AND", "OR", "NOT", '"', "{a TO z}", "\ufffd"],
)
def test_syntax_is_plain_text_and_never_expands(catalogue, text):
    searcher, _ = searchers.acquire(catalogue.root)

    parsed = parse_text(searcher, text)

    assert parsed is None or not any(isinstance(n, EXPANDING) for n in _nodes(parsed))


@pytest.mark.parametrize(
    "text", ["title:schuld", "year:[2000 TO]", "[a TO z]", "w* b* s*", "*", "schuld~2"]
)
def test_syntax_searches_without_error(catalogue, text):
    result = catalogue.search(text)
    assert result.total >= 0


@pytest.mark.parametrize(
    ("with_stop_words", "without"),
    [("de jobcoach", "jobcoach"), ("schulden en werk", "schulden werk"),
     ("nederlands leren zonder diploma", "nederlands leren diploma")],
)
def test_stop_words_are_never_required(catalogue, with_stop_words, without):
    assert catalogue.titles(with_stop_words) == catalogue.titles(without) != []


def test_a_wildcard_searches_the_word_before_it(catalogue):
    assert catalogue.titles("schuld*") == catalogue.titles("schuld") != []
    assert catalogue.titles("*") == []


def test_or_between_words_is_kept(catalogue):
    titles = catalogue.titles("schuldhulp OR taalcursus")
    assert sorted(titles) == ["Schuldhulp voor jongeren", "Taalcursus"]


def test_a_suggestion_corrects_only_unknown_words(catalogue):
    result = catalogue.search("schuldhlp regelen")
    assert result.suggestion == "schuldhulp regelen"


def test_no_suggestion_when_every_word_is_known(catalogue):
    result = catalogue.search("jobcoach diploma schulden")
    assert (result.total, result.suggestion) == (0, None)


def test_a_long_text_is_cut_to_its_first_words():
    words = [f"woord{n}" for n in range(100)]
    assert clean_text(" ".join(words)).split() == words[:MAX_QUERY_WORDS]


def test_a_suggestion_is_offered_for_syntax_without_error(catalogue):
    result = catalogue.search("title:schuldhulp year:[2000 TO]")
    assert result.suggestion is None or "[" not in result.suggestion


def test_a_short_unknown_word_is_not_turned_into_another_word(catalogue):
    # As "debt" became "doet": two edits make a short word another word altogether.
    assert catalogue.search("wxrz").suggestion is None  # two edits from "werk"


def test_a_short_word_one_edit_away_is_corrected(catalogue):
    assert catalogue.search("taalcursis").suggestion == "taalcursus"


def test_a_word_of_one_or_two_letters_is_not_corrected(catalogue):
    # Its edits reach much of the term list (0.45 s per word at 100k records).
    make_intervention(title="Van WW naar werk")
    catalogue.sync()
    assert catalogue.search("ww").total == 1
    assert catalogue.search("wx").suggestion is None  # one edit from "ww"


@pytest.mark.parametrize(("text", "meant"), [
    ("spreekt slecht nederlands", "slecht"),  # two edits from "echt": another word
    ("wsw", "wsw"),                            # an abbreviation, one edit from "ww"
    ("lvb", "lvb"),
])
def test_a_word_is_not_corrected_into_another_word(catalogue, text, meant):
    make_intervention(title="Echt werk vanuit de WW", summary="Nederlands op het werk.")
    catalogue.sync()
    suggestion = catalogue.search(text).suggestion
    assert suggestion is None or meant in suggestion.split()


def test_a_long_word_two_edits_away_is_corrected(catalogue):
    make_intervention(title="Schuldhulpverlening", summary="Schuldhulpverlening voor werk.")
    catalogue.sync()
    assert catalogue.search("schuldhulpverleneig").suggestion == "schuldhulpverlening"


def test_a_phrase_of_words_common_together_matches_as_its_words(catalogue, monkeypatch):
    searcher, view = searchers.acquire(catalogue.root)
    assert any(isinstance(n, q.Phrase) for n in _nodes(
        parse_text(searcher, '"regelen werk"', view)))
    monkeypatch.setattr("search_index.query.PHRASE_CANDIDATES", 0)
    bounded = parse_text(searcher, '"regelen werk"', view)
    assert not any(isinstance(n, q.Phrase) for n in _nodes(bounded))
    # As words it still finds what has both words.
    assert catalogue.titles('"werk schulden"') == ["Schuldhulp voor jongeren"]


_WORDS = ["werk", "schuldhulpverlening", "jobcoach", "werk-leerbaan", "e-learning", "55+",
          "wajong/wia", "re-integratie", "Nederlands", "diploma's", "OR", "NOT", "AND",
          "or", "de", "zonder", "x)", "(", "werk^2", "title:schuld", "schuld~2", "w*",
          '"werk naar"', "taalcursus", "ABC", "1e", "§", "ü"]


# The catalogue fixture is built once for all examples (it is not changed by them).
MANY_EXAMPLES = settings(max_examples=300, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def _whole_text(searcher, text: str, view=None):
    """The whole text through Whoosh's parser, rewritten as parse_text rewrites it (phrases
    only where positions are kept; with the view, joined words and common phrases)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    parsed = user_parser(list(TEXT_FIELDS), searcher.schema).parse(cleaned)
    whole = _rewritten(searcher, view, parsed)
    return None if whole is q.NullQuery else whole


@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
@MANY_EXAMPLES
def test_plain_words_parse_as_the_parser_parses_the_whole_text(catalogue, words):
    searcher, _view = searchers.acquire(catalogue.root)
    text = " ".join(words)
    try:
        whole = _whole_text(searcher, text)
    except IndexError:  # Whoosh's parser fails on some runs of operators ("NOT OR OR")
        parse_text(searcher, text)  # ours does not
        return

    assert parse_text(searcher, text) == whole


_PLAIN_WORDS = [w for w in _WORDS if w not in ("OR", "NOT", "AND", '"werk naar"')] + [
    "reïntegratie", "schuldhulp", "werk", "jobcoach"]


@given(words=st.lists(st.sampled_from(_PLAIN_WORDS), min_size=1, max_size=6))
@MANY_EXAMPLES
def test_plain_words_with_the_view_are_rewritten_as_the_whole_text_is(catalogue, words):
    # parse_text keeps each word's rewritten query in the view and joins them; the
    # whole text parsed, rewritten and normalized at once must give the same query.
    # ("reïntegratie", which no document has, is rewritten to its two parts.)
    searcher, view = searchers.acquire(catalogue.root)
    text = " ".join(words)
    whole = _whole_text(searcher, text, view)

    assert parse_text(searcher, text, view) == whole
    assert parse_text(searcher, text, view) == whole  # the second time from the kept words


@pytest.mark.parametrize("text", ["NOT OR OR", "werk NOT OR OR", "OR NOT OR AND"])
def test_runs_of_operators_that_break_the_parser_search_the_words(catalogue, text):
    searcher, _ = searchers.acquire(catalogue.root)
    words = [w for w in text.split() if w not in ("AND", "OR", "NOT")]

    parsed = parse_text(searcher, text)

    assert parsed == (parse_text(searcher, " ".join(words)) if words else None)


def test_a_long_word_of_a_query_is_parsed_but_not_kept(tmp_path):
    from search_index import query
    from search_index.schema import build_schema

    schema = build_schema(("level",))
    long_word = "schuld" * 12
    before = len(query._WORDS)
    query._word_query(("text",), schema, long_word)
    query._word_query(("text",), schema, "schuldhulp")
    assert not any(word == long_word for _fields, word in query._WORDS)
    assert any(word == "schuldhulp" for _fields, word in query._WORDS)
    assert len(query._WORDS) <= before + 1


@pytest.fixture
def spelled_apart(index):
    make_intervention(title="Re-integratie na ziekte", summary="Terug naar werk.")
    make_intervention(title="Servicepunt voor werkgevers",
                      summary="Het werkgevers servicepunt van de regio.")
    make_intervention(title="Taalcursus", summary="Nederlands leren.")
    index.sync()
    return index


@pytest.mark.parametrize(("joined", "title"), [
    ("reïntegratie", "Re-integratie na ziekte"),  # the spelling before 2005
    ("reintegratie", "Re-integratie na ziekte"),
    ("werkgeversservicepunt", "Servicepunt voor werkgevers"),
])
def test_a_word_the_documents_write_apart_finds_them(spelled_apart, joined, title):
    assert spelled_apart.titles(joined) == [title]


def test_a_misspelt_word_is_not_split_into_nonsense(spelled_apart):
    result = spelled_apart.search("taalcrusus")
    assert result.total == 0 and result.suggestion == "taalcursus"


@given(word=st.text(alphabet=st.sampled_from(
    list("werkdiploma's-/.+*^~:()[]{}§üÉéë12_") + [" "]), min_size=1, max_size=14)
    .map(lambda text: text.replace(" ", "")).filter(bool))
@MANY_EXAMPLES
def test_a_word_query_is_built_as_the_parser_parses_the_word(catalogue, word):
    from search_index.query import _built_word_query

    searcher, _view = searchers.acquire(catalogue.root)
    fields = tuple(TEXT_FIELDS)
    try:
        parsed = user_parser(list(fields), searcher.schema).parse(word)
    except Exception:  # noqa: BLE001 (the parser's own failures are not ours to match)
        return
    assert _built_word_query(fields, searcher.schema, word) == parsed


def test_a_word_longer_than_any_dutch_word_is_not_kept_in_the_view(catalogue):
    from search_index.analysis import MAX_KEPT_WORD

    searcher, view = searchers.acquire(catalogue.root)
    long_word = "werk" * (MAX_KEPT_WORD // 4 + 1)
    parse_text(searcher, f"jobcoach {long_word}", view)
    kept = view.arrays[("kept words", "rewritten")]
    assert any(word == "jobcoach" for _fields, word in kept)
    assert not any(word == long_word for _fields, word in kept)
