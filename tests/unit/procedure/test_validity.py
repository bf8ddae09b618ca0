"""Valid-until dates: five years, six months when provisional, both settings."""

from datetime import date

import pytest

from registry.services.validity import add_months, valid_until


def test_recognition_is_valid_five_years(app):
    with app.app_context():
        assert valid_until(date(2024, 3, 1), "effective_good") == date(2029, 3, 1)


def test_provisional_decision_is_valid_six_months(app):
    with app.app_context():
        assert valid_until(date(2024, 8, 31), "provisional") == date(2025, 2, 28)


def test_not_recognised_does_not_lapse(app):
    with app.app_context():
        assert valid_until(date(2024, 3, 1), "not_recognised") is None


def test_validity_follows_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "RECOGNITION_VALID_YEARS", 3)
    with app.app_context():
        assert valid_until(date(2024, 2, 29), "well_founded") == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2024, 11, 15), 3, date(2025, 2, 15))],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
