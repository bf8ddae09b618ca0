"""Personal data in a saved profile's label is spotted: citizen service numbers passing
the 11-test, dates, e-mail addresses, Dutch phone numbers; ordinary labels pass."""

import pytest

from registry.services.personal_data import passes_eleven_test, personal_data_in


@pytest.mark.parametrize(("digits", "valid"), [
    ("111222333", True), ("123456782", True), ("123456789", False), ("12345678", False),
    ("000000000", False)])
def test_the_eleven_test(digits, valid):
    assert passes_eleven_test(digits) is valid


@pytest.mark.parametrize(("label", "kinds"), [
    ("Jongere met schulden, trede 2", []),
    ("Statushouder 2024, taal en werk", []),
    ("Cliënt 111222333", ["bsn"]),
    ("bsn 1112.22.333", ["bsn"]),
    ("Klant 123456789", []),  # nine digits that fail the 11-test
    ("Geboren 12-03-1980", ["date"]),
    ("Intake 2024-11-05", ["date"]),
    ("Gesprek 5 maart 2024", ["date"]),
    ("jan.jansen@example.org", ["email"]),
    ("Bel 06-12345678", ["phone"]),
    ("Tel +31 20 123 4568", ["phone"]),
])
def test_personal_data_is_spotted(label, kinds):
    assert personal_data_in(label) == kinds
