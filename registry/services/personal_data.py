"""Spotting personal data in short free text a professional types (a saved profile's
label), so it is refused before it is stored: citizen service numbers passing the
11-test, dates, e-mail addresses and Dutch phone numbers."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

_NUMBER = re.compile(r"(?<!\d)(\d(?:[ .]?\d){7,8})(?!\d)")
_DATE = re.compile(
    r"(?<!\d)(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
    r"|\b\d{1,2}\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
    r"|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|okt|nov|dec)\.?(\s+\d{4})?\b",
    re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){8}\d?(?!\d)")

KINDS = {
    "bsn": _l("een burgerservicenummer"),
    "date": _l("een datum"),
    "email": _l("een e-mailadres"),
    "phone": _l("een telefoonnummer"),
}


def passes_eleven_test(digits: str) -> bool:
    """Whether 8 or 9 digits pass the BSN 11-test (weights 9..2 and -1)."""
    number = digits.zfill(9)
    if len(number) != 9 or number == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1), strict=True))
    return (total - int(number[8])) % 11 == 0


def personal_data_in(text: str) -> list[str]:
    """The kinds of personal data the text seems to hold (keys of KINDS), in that order."""
    found = []
    if any(passes_eleven_test(re.sub(r"\D", "", m)) for m in _NUMBER.findall(text)):
        found.append("bsn")
    if _DATE.search(text):
        found.append("date")
    if _EMAIL.search(text):
        found.append("email")
    if _PHONE.search(text):
        found.append("phone")
    return found
