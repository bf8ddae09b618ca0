"""Paging query parameters take their limits as arguments (marshmallow 4 has no context)."""

from __future__ import annotations

import pytest

from registry.schemas.interventions import InterventionQuerySchema
from registry.schemas.studies import StudyQuerySchema


def schema(max_per_page: int = 50, default_per_page: int = 10) -> InterventionQuerySchema:
    return InterventionQuerySchema(max_per_page=max_per_page, default_per_page=default_per_page)


def test_defaults_come_from_the_arguments():
    assert schema(default_per_page=7).load({}) == {"page": 1, "per_page": 7, "sort": "title"}


def test_study_sort_defaults_to_newest_first():
    loaded = StudyQuerySchema(max_per_page=5, default_per_page=5).load({})
    assert loaded["sort"] == "-year"


def test_query_strings_become_integers():
    assert schema().load({"page": "3", "per_page": "25"})["page"] == 3


@pytest.mark.parametrize(("per_page", "valid"), [("50", True), ("51", False)])
def test_per_page_maximum_comes_from_the_arguments(per_page, valid):
    errors = schema(max_per_page=50).validate({"per_page": per_page})
    assert ("per_page" not in errors) is valid


def test_instances_do_not_share_their_limits():
    schema(max_per_page=500)
    assert "per_page" in schema(max_per_page=50).validate({"per_page": "100"})


def test_other_query_parameters_are_ignored():
    assert "lang" not in schema().load({"lang": "en"})
