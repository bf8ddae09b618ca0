"""Relevance: the postings-based scorer agrees with Whoosh; other queries still work."""

import pytest

from search_index import ranking, searchers
from search_index.query import parse_text, text_mask
from tests.factories import make_intervention


@pytest.fixture
def catalogue(index):
    make_intervention(title="Jobcoaching op de werkvloer", summary="Begeleiding naar werk.")
    make_intervention(title="Taalcoaching", summary="Begeleiding naar werk met jobcoaching.")
    make_intervention(title="Schuldhulp voor jongeren", summary="Werk aan je schulden.")
    make_intervention(title="Werkervaringsplaats", summary="Werk en begeleiding op de werkvloer.")
    make_intervention(title="Beschut werk", summary="Werk met begeleiding, werk met zorg.")
    index.sync()
    return index


@pytest.mark.parametrize(("sparse", "few"), [(2048, 0), (0, 0), (0, 10**6)],
                         ids=["candidates", "whole catalogue", "one by one"])
@pytest.mark.parametrize("text", ["werk", "begeleiding werk", "jobcoaching", "werk OR schulden"])
def test_scores_and_order_are_whooshs(catalogue, text, sparse, few, monkeypatch):
    # The three ways of scoring: the candidates looked up in each term's postings with
    # numpy, every term's postings added over the whole catalogue, and each candidate's
    # score looked up one by one.
    monkeypatch.setattr(ranking, "SPARSE_CANDIDATES", sparse)
    monkeypatch.setattr(ranking, "FEW_CANDIDATES", few)
    monkeypatch.setattr(ranking, "SPARSE_SHARE", 0)
    searcher, view = searchers.acquire(catalogue.root)
    query = parse_text(searcher, text)
    ours = ranking.top_scored(searcher, view, query, text_mask(searcher, view, query), 10)
    whoosh = sorted(((h.docnum, h.score) for h in searcher.search(query, limit=None)),
                    key=lambda hit: (-hit[1], hit[0]))
    assert [doc for doc, _ in ours] == [doc for doc, _ in whoosh]
    assert [round(s, 9) for _, s in ours] == [round(s, 9) for _, s in whoosh]


def test_every_way_of_scoring_gives_the_same_floats(index, monkeypatch):
    from registry.demo.generator import generate

    generate(80)
    index.sync()
    searcher, view = searchers.acquire(index.root)
    monkeypatch.setattr(ranking, "SPARSE_SHARE", 0)
    for text in ["werk", "begeleiding werk", "schulden jongeren", "taal werk begeleiding"]:
        query = parse_text(searcher, text)
        mask = text_mask(searcher, view, query)
        found = []
        for sparse, few in ((10_000, 0), (0, 0), (0, 10**6)):
            monkeypatch.setattr(ranking, "SPARSE_CANDIDATES", sparse)
            monkeypatch.setattr(ranking, "FEW_CANDIDATES", few)
            found.append(ranking.top_scored(searcher, view, query, mask, 50))
        assert found[0] == found[1] == found[2] and found[0], text


def test_a_phrase_is_scored_by_whoosh(catalogue):
    # Stop words take no position, so "begeleiding met werk" matches as well.
    titles = catalogue.titles('"begeleiding naar werk"')
    assert sorted(titles) == ["Beschut werk", "Jobcoaching op de werkvloer", "Taalcoaching"]


def test_changed_record_is_ranked_with_its_new_text(catalogue):
    from registry.models import Intervention
    from tests.conftest import db

    item = db.session.query(Intervention).first()
    item.published_version.title = "Zeldzaam traject"
    catalogue.sync()
    assert catalogue.titles("zeldzaam") == ["Zeldzaam traject"]


@pytest.mark.parametrize("few", [0, 10**6], ids=["arrays", "one by one"])
def test_equal_scores_put_the_lower_document_first(index, monkeypatch, few):
    # The second document has the query's first word: it is scored first.
    make_intervention(title="Alfa traject", summary="Een traject naar werk.")
    make_intervention(title="Beta traject", summary="Een traject naar werk.")
    index.sync()
    monkeypatch.setattr(ranking, "FEW_CANDIDATES", few)
    searcher, view = searchers.acquire(index.root)
    query = parse_text(searcher, "beta OR alfa")
    ranked = ranking.top_scored(searcher, view, query, text_mask(searcher, view, query), 10)
    assert len(ranked) == 2 and ranked[0][1] == ranked[1][1]
    assert [doc for doc, _ in ranked] == [0, 1]
