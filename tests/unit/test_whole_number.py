"""Numbers from forms, query strings and file cells (registry/schemas/common.whole_number)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.schemas.common import MAX_INTEGER, whole_number


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 0), ("42", 42), (" 7 ", 7), (str(MAX_INTEGER), MAX_INTEGER),
    (str(MAX_INTEGER + 1), None), ("9" * 5000, None), ("²", None), ("٣", None),
    ("-1", None), ("", None), (None, None), ("1.5", None), ("+3", None),
])
def test_a_column_number_or_none(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("-1", -1), ("12", 12), ("--1", None), ("-", None), (f"-{MAX_INTEGER + 1}", None)])
def test_signed_numbers(value, expected):
    assert whole_number(value, signed=True) == expected


@given(st.text(max_size=20))
def test_never_raises_and_stays_within_a_column(value):
    number = whole_number(value, signed=True)
    assert number is None or abs(number) <= MAX_INTEGER
