"""Result snippets (registry/search/snippets.py): stems matched as the index matches
them, the text around the first match on word boundaries, everything escaped."""

from __future__ import annotations

from registry.search import snippets
from search_index.analysis import DUTCH_ANALYZER


def _stems(text: str) -> set[str]:
    return {token.text for token in DUTCH_ANALYZER(text, mode="query")}


def test_a_word_is_matched_by_its_stem_and_marked_as_written():
    found = snippets.marked("Hulp bij schulden en werk.", _stems("schuld"))

    assert found == "Hulp bij <mark>schulden</mark> en werk."


def test_every_match_in_the_shown_text_is_marked():
    found = snippets.marked("Werk eerst, dan meer werk.", _stems("werk"))

    assert found.count("<mark>") == 2


def test_the_text_around_a_late_match_is_cut_on_word_boundaries():
    summary = " ".join(["woord"] * 40) + " schuldhulp " + " ".join(["slot"] * 60)

    found = snippets.marked(summary, _stems("schuldhulp"))

    assert found.startswith("… woord") and found.endswith(" …")
    assert "<mark>schuldhulp</mark>" in found
    assert len(found.striptags()) <= snippets.MAX_CHARS + 4


def test_the_summary_is_escaped_around_the_marks():
    found = snippets.marked("<script>x</script> schulden & meer", _stems("schulden"))

    assert "<script>" not in found
    assert "&lt;script&gt;" in found and "&amp; meer" in found


def test_no_match_gives_none():
    assert snippets.marked("Taalcursus voor nieuwkomers.", _stems("schuld")) is None


def test_the_kept_analyses_are_bounded(monkeypatch):
    monkeypatch.setattr(snippets, "CACHE_SIZE", 3)
    monkeypatch.setattr(snippets, "_cache", type(snippets._cache)())

    for number in range(10):
        snippets.tokens(f"samenvatting {number}")

    assert len(snippets._cache) == 3
