"""Spelling suggestions from the words kept in memory: the same as Whoosh's corrector
over the segment's term file, and the same search suggestion on several segments."""

from __future__ import annotations

import random

from registry.demo.generator import generate
from search_index import searchers, spelling


def _typos(words: list[str], rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzé"
    typos = []
    for word in rng.sample(words, count):
        at = rng.randrange(len(word))
        edit = rng.choice(("drop", "swap", "add", "change"))
        if edit == "drop":
            typos.append(word[:at] + word[at + 1:])
        elif edit == "swap" and at + 1 < len(word):
            typos.append(word[:at] + word[at + 1] + word[at] + word[at + 2:])
        elif edit == "add":
            typos.append(word[:at] + rng.choice(letters) + word[at:])
        else:
            typos.append(word[:at] + rng.choice(letters) + word[at + 1:])
    return typos + ["qqqxz", "werkk", "schuldhlp", "jongren", "a"]


def test_suggestions_are_whooshs_own_on_one_segment(index):
    generate(60)
    index.sync()
    searcher, view = searchers.acquire(index.root)
    leaves = searcher.reader().leaf_readers()
    assert len(leaves) == 1
    whoosh = leaves[0][0].corrector(spelling.SPELLING_FIELD)
    ours = spelling.corrector(searcher, view)
    words = [w.decode() for w in searcher.reader().lexicon(spelling.SPELLING_FIELD)]
    assert len(words) > 500
    suggested = 0
    for typo in _typos(words, random.Random(3), 300):
        for maxdist in (1, 2):
            expected = whoosh.suggest(typo, limit=3, maxdist=maxdist)
            assert ours.suggest(typo, limit=3, maxdist=maxdist) == expected, (typo, maxdist)
            suggested += bool(expected)
    assert suggested > 300


def test_a_search_with_a_typo_is_corrected_on_several_segments(index):
    from registry.extensions import db
    from tests.factories import make_intervention

    make_intervention(title="Schuldhulpverlening", summary="Schulden regelen.")
    index.sync()
    make_intervention(title="Taalcursus", summary="Nederlands leren.")
    index.sync()
    db.session.flush()
    searcher, _view = searchers.acquire(index.root)
    assert len(searcher.reader().leaf_readers()) >= 2
    assert index.search("schuldhulpverleninh").suggestion == "schuldhulpverlening"


def test_a_warmed_up_process_has_read_each_segments_spelling_words(index):
    from tests.factories import make_intervention

    make_intervention(title="Schuldhulpverlening", summary="Schulden regelen.")
    index.sync()
    searchers.release_all()
    view = searchers.warm(index.root, ("text",))
    assert view.segments and all(data._spelling_words for data in view.segments)


def test_a_kept_correction_lasts_as_long_as_its_index_generation(index):
    from tests.factories import make_intervention

    make_intervention(title="Jobcoaching", summary="Begeleiding door een jobcoach.")
    index.sync()
    assert index.search("begeleidnig").suggestion == "begeleiding"
    assert index.search("begeleidnig").suggestion == "begeleiding"  # kept in the view
    # Once a record holds the word, the next generation knows it: no typo any more.
    make_intervention(title="Begeleidnig", summary="Een titel met een vreemd woord.")
    index.sync()
    assert index.search("begeleidnig").suggestion is None
