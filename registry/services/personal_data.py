"""Spotting personal data in short free text a professional types (a saved profile's
label, a practice experience's narrative), so it is refused before it is stored:
citizen service numbers passing the 11-test (or named as one: "bsn 123456789"), dates
(also as eight digits, "12031990", or as a day and month after a word about birth,
"geboren 12/03"), e-mail addresses and Dutch phone numbers, in the ways people write
them (with spaces, dots, dashes or slashes between the digits, Dutch or English month
names, a phone number's area code in brackets). A month and year alone ("maart 2024")
is not taken for a date: labels name cohorts and periods that way.

The text is first normalised (NFKC, invisible format characters such as zero-width
spaces removed), so look-alike digits and hidden characters do not hide a number."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

# Between two digits of a number: nothing, a space, or one of . - / _ (spaces around it).
_GAP = r"(?:\s*[.\-/_]\s*|\s)?"
_NUMBER = re.compile(rf"(?<!\d)(\d(?:{_GAP}\d){{7,8}})(?!\d)")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
    "|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
    "|january|february|march|may|june|july|october|mar|oct")
_NUMERIC_DATE = (r"(?<!\d)(?:\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}"
                 r"|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2})(?!\d)")
_DATE = re.compile(
    _NUMERIC_DATE
    + rf"|(?<!\d)\d{{1,2}}(?:e|st|nd|rd|th)?[\s.\-/]*(?:{_MONTHS})\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:e|st|nd|rd|th)?\b(?!\s*[-/.:]?\s*\d)",
    re.IGNORECASE)
# A date in digits is not a citizen service number, though its digits may pass the test.
_NOT_A_NUMBER = re.compile(_NUMERIC_DATE)
# A day and month without the year after a word about birth ("geboren 12/03", "geb.
# 12-3", "jarig 12.03"): a birthday. Without such a word "10/12" or "12-03" is as often a
# fraction, a score or a range, in a label or an experience's narrative.
_BIRTH_DAY = re.compile(
    r"\b(?:geboren|geb|geboortedatum|geboortedag|jarig|verjaardag|born|birthday|dob)\b"
    r"\W{0,3}(?:op\s+|on\s+)?(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)", re.IGNORECASE)
# Eight digits together, which may be a date without separators (_is_compact_date); with
# separators they are a range of years ("2010-2015") as often.
_EIGHT_DIGITS = re.compile(r"(?<!\d)\d{8}(?!\d)")
# A number named a citizen service number is one, whatever its check digit.
_BSN_WORD = re.compile(r"\b(?:bsn|burgerservicenummer|sofi|sofinummer|sofi-nummer)\b",
                       re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# A run of digits with the characters people write between them, possibly opening
# with + or a bracket: a phone number when its digits are one (see _is_phone).
_DIGIT_RUN = re.compile(r"(?<![\d+])(?:\+|\()?\d(?:[\s().\-/]{0,3}\d){7,13}(?!\d)")

KINDS = {
    "bsn": _l("een burgerservicenummer"),
    "date": _l("een datum"),
    "email": _l("een e-mailadres"),
    "phone": _l("een telefoonnummer"),
}


def normalised(text: str) -> str:
    """NFKC, without format characters (zero-width spaces and joiners, soft hyphens)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c) != "Cf")


def passes_eleven_test(digits: str) -> bool:
    """Whether 8 or 9 digits pass the BSN 11-test (weights 9..2 and -1)."""
    number = digits.zfill(9)
    if len(number) != 9 or number == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1), strict=True))
    return (total - int(number[8])) % 11 == 0


def _is_compact_date(digits: str) -> bool:
    """Whether eight digits are a date written without separators: ddmmyyyy or
    yyyymmdd, with a year from 1900 to 2099."""
    for day, month, year in ((digits[:2], digits[2:4], digits[4:]),
                             (digits[6:], digits[4:6], digits[:4])):
        if 1900 <= int(year) <= 2099 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return True
    return False


def _is_day_and_month(match: re.Match) -> bool:
    day, month = match.groups()
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _is_phone(run: str) -> bool:
    """Whether a run of digits is a Dutch phone number: +31 / 0031 and nine digits (a
    "(0)" after the country code allowed), or 0 and nine digits."""
    digits = re.sub(r"\D", "", run)
    international = run.lstrip("(").startswith("+") and digits.startswith("31")
    if international or digits.startswith("0031"):
        national = digits[2:] if international else digits[4:]
        national = national[1:] if national.startswith("0") else national
        return len(national) == 9
    return digits.startswith("0") and len(digits) == 10


def personal_data_in(text: str) -> list[str]:
    """The kinds of personal data the text seems to hold (keys of KINDS), in that order."""
    text = normalised(text)
    found = []
    numbers = [re.sub(r"\D", "", m) for m in _NUMBER.findall(_NOT_A_NUMBER.sub(" ", text))]
    if any(passes_eleven_test(m) for m in numbers) or (numbers and _BSN_WORD.search(text)):
        found.append("bsn")
    if (_DATE.search(text) or any(_is_compact_date(m) for m in _EIGHT_DIGITS.findall(text))
            or any(_is_day_and_month(m) for m in _BIRTH_DAY.finditer(text))):
        found.append("date")
    if _EMAIL.search(text):
        found.append("email")
    if any(_is_phone(m) for m in _DIGIT_RUN.findall(text)):
        found.append("phone")
    return found
