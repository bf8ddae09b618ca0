"""The intervention description form: label and input kind of every field."""

from flask_babel import lazy_gettext as _l

from registry.views.labels import VOCABULARY_NAMES

# (field, label, kind): text, textarea, lines (one item per line), bool, int, email, url
DESCRIPTION_FIELDS = (
    ("title", _l("Titel"), "text"),
    ("summary", _l("Korte samenvatting"), "textarea"),
    ("main_aim", _l("Hoofddoel"), "textarea"),
    ("sub_aims", _l("Subdoelen (één per regel)"), "lines"),
    ("target_group_text", _l("Doelgroep"), "textarea"),
    ("targets_household", _l("Richt zich op het huishouden"), "bool"),
    ("approach", _l("Aanpak"), "textarea"),
    ("duration", _l("Duur"), "text"),
    ("intensity", _l("Intensiteit"), "text"),
    ("setting_text", _l("Setting"), "text"),
    ("active_elements", _l("Werkzame elementen (één per regel)"), "lines"),
    ("ladder_rung_min", _l("Laagste trede participatieladder (1–6)"), "int"),
    ("ladder_rung_max", _l("Hoogste trede participatieladder (1–6)"), "int"),
    ("cost_min_eur", _l("Kosten per deelnemer, minimaal (euro)"), "int"),
    ("cost_max_eur", _l("Kosten per deelnemer, maximaal (euro)"), "int"),
    ("cost_notes", _l("Toelichting op de kosten"), "textarea"),
    ("availability_text", _l("Beschikbaarheid (regio's, gemeenten)"), "textarea"),
    ("manual_and_materials", _l("Handleiding en materialen"), "textarea"),
    ("implementation_conditions", _l("Voorwaarden voor uitvoering"), "textarea"),
    ("contact_name", _l("Contactpersoon"), "text"),
    ("contact_email", _l("E-mailadres contactpersoon"), "email"),
    ("contact_phone", _l("Telefoonnummer"), "text"),
    ("website", _l("Website"), "url"),
    ("year_started", _l("Startjaar"), "int"),
)
LABELS = {name: label for name, label, _ in DESCRIPTION_FIELDS}


def diff_labels() -> dict:
    """Headings of the version diff: the fields, each tag vocabulary, and the providers."""
    tags = {f"tags.{v}": name for v, name in VOCABULARY_NAMES.items()}
    return {**LABELS, **tags, "providers": _l("Aanbieders")}
