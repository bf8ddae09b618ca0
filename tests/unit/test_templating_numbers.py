"""The number filter writes what Babel's format_decimal writes (its faster twin), except
that a value rounding to zero has no sign ("-0,00" reads as a negative effect)."""

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
            expected = format_decimal(value, format=pattern)
            if set(expected) <= set("-0.,"):
                expected = expected.lstrip("-")
            assert number(value, digits) == expected, value


@pytest.mark.parametrize(("value", "digits", "shown"), [(-0.004, 2, "0,00"), (-0.4, 0, "0"),
                                                        (-0.006, 2, "-0,01")])
def test_a_value_rounding_to_zero_has_no_sign(app, value, digits, shown):
    with app.test_request_context(), force_locale("nl"):
        assert number(value, digits) == shown


def test_nothing_for_none(app):
    with app.test_request_context():
        assert number(None) == ""


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_p_value_filter_agrees_with_babel(app, locale):
    from registry.templating import p_value

    rng = random.Random(11)
    values = [0.001, 0.0015, 0.03, 0.030, 0.0305, 0.0315, 0.05, 0.1, 0.5, 0.999, 1.0] + [
        rng.uniform(0.001, 1) for _ in range(500)] + [round(rng.uniform(0.001, 1), 3)
                                                      for _ in range(300)]
    with app.test_request_context(), force_locale(locale):
        for value in values:
            assert p_value(value) == "p = " + format_decimal(value, format="0.00#"), value
        assert p_value(0.0004) == "p < " + format_decimal(0.001, format="0.000")
