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
    # Written the other ways people write them.
    ("bsn 111-222-333", ["bsn"]),
    ("111/222/333", ["bsn"]),
    ("111\u200b222\u200b333", ["bsn"]),  # zero-width spaces between the digits
    ("Geboren 1990/02/01", ["date"]),
    ("Geboren 1990.02.01", ["date"]),
    ("Geboren 1-feb-1990", ["date"]),
    ("Born 1 October 1990", ["date"]),
    ("Born October 12, 1990", ["date"]),
    ("Bel +31 (0)6 12345678", ["phone"]),
    ("Bel (020) 123 4567", ["phone"]),
    ("Bel 06 - 12345678", ["phone"]),
    ("Bel 0031 6 12345678", ["phone"]),
    # Numbers that are not personal data.
    ("Trede 2-3, 27 tot 45 jaar", []),
    ("Jongeren 16-27 jaar, 10 uur per week", []),
    ("Wajong 2010-2015, periode 2023/2024", []),
    ("Budget 1000-2000 euro", []),
    ("Tot 2024-04-30", ["date"]),  # its digits pass the 11-test, but it is a date
    ("May need a job coach, March 2024 cohort", []),
    # Named a citizen service number, whatever its check digit; dates without the year or
    # without separators.
    ("Jongere, bsn 123456789", ["bsn"]),
    ("Burgerservicenummer: 1234 56 789", ["bsn"]),
    ("Schulden, geb. 12031990", ["date"]),
    ("Geboren 19900312", ["date"]),
    ("Trede 2, geboren 12/03", ["date"]),
    ("Geb. 3-12", ["date"]),
    ("Trede 2, geboren 12.03.'90", ["date"]),
    ("Jarig op 12-03", ["date"]),
    # Ranges, fractions and other numbers that are none of these.
    ("Trede 2/3, 18-27 jaar, 32-40 uur", []),
    ("10/12 deelnemers vond werk, intake 12-03", []),
    ("Klant 12345678", []),  # eight digits that are no date and fail the 11-test
    ("Score 16.45 op de matrix", []),
])
def test_personal_data_is_spotted(label, kinds):
    assert personal_data_in(label) == kinds
