"""The pattern of the bounded `int` URL converter matches exactly 0..limit."""

from __future__ import annotations

import re

import pytest

from registry.views.converters import MAX_ID, at_most

LIMITS = [0, 7, 10, 19, 100, 1000, 4096, MAX_ID]


def _numbers_near(limit: int) -> set[int]:
    # Every number up to 1100, and each side of each power of ten and of the limit.
    near = set(range(1100)) | {limit - 1, limit, limit + 1, limit * 10}
    near |= {10**k + d for k in range(12) for d in (-1, 0, 1)}
    return {n for n in near if n >= 0}


@pytest.mark.parametrize("limit", LIMITS)
def test_pattern_matches_the_numbers_up_to_the_limit(limit):
    pattern = re.compile(at_most(limit))
    wrong = {n for n in _numbers_near(limit) if bool(pattern.fullmatch(str(n))) != (n <= limit)}
    assert wrong == set()
