"""The number filter writes what Babel's format_decimal writes (its faster twin)."""

from __future__ import annotations

import random

import pytest
from flask_babel import force_locale, format_decimal

from registry.templating import number

VALUES = [0, 0.5, 0.125, 0.135, 0.145, 0.155, 0.165, 0.005, 0.015, -0.005, -0.43, 1.305,
          2.675, 999.995, 1234.5678, -1234567.891, 10**9 + 0.5, 1e-7, 3]


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("digits", [0, 2, 3])
def test_the_number_filter_agrees_with_babel(app, locale, digits):
    rng = random.Random(7)
    values = VALUES + [rng.uniform(-5000, 5000) for _ in range(300)] + [
        round(rng.uniform(-2, 2), digits + 1) for _ in range(300)]
    pattern = "#,##0." + "0" * digits  # what the filter used to pass to Babel
    with app.test_request_context(), force_locale(locale):
        for value in values:
            assert number(value, digits) == format_decimal(value, format=pattern), value


def test_nothing_for_none(app):
    with app.test_request_context():
        assert number(None) == ""
