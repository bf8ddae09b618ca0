"""Labels for the procedure's codes (states, screening criteria, scores), translated where
they are shown."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "draft": _l("Concept"),
    "submitted": _l("Ingediend"),
    "screening": _l("In screening"),
    "returned": _l("Teruggestuurd"),
    "in_review": _l("In beoordeling"),
    "in_discussion": _l("In bespreking"),
    "decided": _l("Besloten"),
    "published": _l("Gepubliceerd"),
    "expired": _l("Verlopen"),
    "withdrawn": _l("Ingetrokken"),
    "objection": _l("Bezwaar"),
}

CRITERIA_LABELS = {
    "described": _l("Doelen, doelgroep en aanpak zijn beschreven"),
    "used_in_two_places": _l("In Nederland op twee of meer plaatsen in gebruik"),
    "manual_exists": _l("Er is een handleiding"),
    "process_evaluation": _l("Er is een procesevaluatie"),
    "owns_or_licenses": _l("De indiener is eigenaar of licentiehouder"),
}

SCORE_LABELS = {1: _l("1 – onvoldoende"), 2: _l("2 – matig"), 3: _l("3 – voldoende"),
                4: _l("4 – goed")}
