"""The evidence levels of the Dutch recognition system and the other decision outcomes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# In order, weakest first (docs/domain.md "The evidence levels").
LEVELS = (
    "not_assessed",
    "well_described",
    "well_founded",
    "effective_first",
    "effective_good",
    "effective_strong",
)
RECOGNISED_LEVELS = LEVELS[1:]
# Everything the public can see as an intervention's status.
PUBLIC_STATUSES = LEVELS + ("not_recognised", "provisional", "expired")

LABELS = {
    "not_assessed": _l("Niet beoordeeld"),
    "well_described": _l("Goed beschreven"),
    "well_founded": _l("Goed onderbouwd"),
    "effective_first": _l("Effectief volgens eerste aanwijzingen"),
    "effective_good": _l("Effectief volgens goede aanwijzingen"),
    "effective_strong": _l("Effectief volgens sterke aanwijzingen"),
    "not_recognised": _l("Niet erkend"),
    "provisional": _l("Onder voorbehoud"),
    "expired": _l("Verlopen"),
}

EXPLANATIONS = {
    "not_assessed": _l(
        "Deze interventie staat in de databank, maar een erkenningscommissie heeft haar "
        "nog niet beoordeeld. Er is dus nog niets gezegd over de kwaliteit of het effect."
    ),
    "well_described": _l(
        "De beschrijving is volledig en samenhangend: doelgroep, doel en aanpak zijn helder. "
        "Professionals uit de praktijk hebben dat beoordeeld. Over het effect zegt dit niets."
    ),
    "well_founded": _l(
        "De veranderingstheorie klopt: doelgroep, doelen, aanpak en werkzame elementen passen "
        "bij elkaar en worden gesteund door literatuur. Dat de interventie werkt, is nog niet "
        "onderzocht."
    ),
    "effective_first": _l(
        "Er zijn eerste aanwijzingen voor effect: onderzoek laat een gunstige verandering zien "
        "op een belangrijke uitkomst, bijvoorbeeld in een voor- en nameting of in vergelijking "
        "met een benchmark. Zonder controlegroep is niet zeker dat de interventie de oorzaak is."
    ),
    "effective_good": _l(
        "Er zijn goede aanwijzingen voor effect: minstens één gecontroleerde studie van "
        "redelijke of hoge kwaliteit laat een gunstig effect zien."
    ),
    "effective_strong": _l(
        "Er zijn sterke aanwijzingen voor effect: minstens twee gecontroleerde studies laten "
        "gunstige effecten zien, waarvan minstens één van hoge kwaliteit met een follow-up van "
        "zes maanden of langer; of één RCT van hoge kwaliteit met een onafhankelijke herhaling."
    ),
    "not_recognised": _l(
        "De commissie heeft deze interventie beoordeeld en niet erkend. De redenen staan bij "
        "het besluit. Ook dat is informatie: zo weet u dat er gekeken is, en waarom het oordeel "
        "negatief was."
    ),
    "provisional": _l(
        "De commissie heeft de interventie onder voorwaarden erkend. Dit besluit geldt zes "
        "maanden; daarna moet aan de voorwaarden zijn voldaan."
    ),
    "expired": _l(
        "De erkenning is verlopen: het besluit is ouder dan de geldigheidsduur en de interventie "
        "is nog niet opnieuw beoordeeld. Het oude oordeel staat in de geschiedenis."
    ),
}


# How strong each public status is, for sorting "by level" everywhere (the list pages,
# the search index, the profile's evidence points): recognised levels 2..6 above
# provisional, above never judged, above lapsed, above not recognised.
STATUS_RANK = {
    "not_recognised": -2,
    "expired": -1,
    "not_assessed": 0,
    "provisional": 1,
    "well_described": 2,
    "well_founded": 3,
    "effective_first": 4,
    "effective_good": 5,
    "effective_strong": 6,
}


def rank(status: str) -> int:
    """Sort key for evidence strength: recognised levels by order, everything else lowest."""
    return LEVELS.index(status) if status in LEVELS else -1
