"""The growth benchmark's rule (bench/load/growth.py): a page other than the search pages
passes when its growth stays within the text search page's, its own spread, and the
allowance for the records drawn."""

from __future__ import annotations

from bench.load import growth


def _turn(**cpu_by_kind: float) -> dict:
    return {kind: {"cpu_median": ms, "wall_median": ms + 1} for kind, ms in cpu_by_kind.items()}


def _verdicts(small: dict, large: dict) -> dict:
    rows = growth.summarise({1_000: [small, small], 10_000: [large, large]}, list(small))
    return {row["kind"]: row["passes"] for row in rows}


def test_a_page_that_grows_like_the_search_page_passes():
    verdicts = _verdicts(_turn(search=8.0, home=2.0, intervention=24.0),
                         _turn(search=8.4, home=2.0, intervention=24.9))
    assert verdicts == {"search": None, "home": True, "intervention": True}


def test_a_page_that_grows_with_the_catalogue_fails():
    verdicts = _verdicts(_turn(search=8.0, home=2.0), _turn(search=8.4, home=4.0))
    assert verdicts["home"] is False


def test_growth_in_the_database_alone_fails_by_wall_time():
    small, large = _turn(search=8.0, home=2.0), _turn(search=8.4, home=2.0)
    large["home"]["wall_median"] = 6.0  # the same CPU, the database's work doubled
    assert _verdicts(small, large)["home"] is False
