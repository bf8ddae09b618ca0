"""How the fields of an imported record are named to people (in Dutch, or English when
the reader chose it): "Auteur 2: achternaam", not "authors.1.family_name". The API
keeps the keys; pages and the command line show these."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from importers.columns import FIELDS

FIELD_LABELS = {
    "record": _l("Record"),
    "bestand": _l("Bestand"),
    "title": _l("Titel"),
    "authors": _l("Auteurs"),
    "year": _l("Jaar"),
    "journal": _l("Tijdschrift"),
    "publisher": _l("Uitgever"),
    "volume": _l("Jaargang"),
    "issue": _l("Nummer"),
    "pages": _l("Pagina's"),
    "start_page": _l("Eerste pagina"),
    "end_page": _l("Laatste pagina"),
    "doi": _l("DOI"),
    "pmid": _l("PMID"),
    "url": _l("Webadres"),
    "abstract": _l("Samenvatting"),
    "language": _l("Taal"),
    "country": _l("Land"),
    "keywords": _l("Trefwoorden"),
    "publication_type": _l("Soort publicatie"),
    "design": _l("Onderzoeksopzet"),
    "quality": _l("Kwaliteit"),
    "n_intervention": _l("Aantal in interventiegroep"),
    "n_comparison": _l("Aantal in controlegroep"),
    "setting": _l("Setting"),
    "follow_up_months": _l("Follow-up (maanden)"),
    "findings": _l("Bevindingen"),
    "interventions": _l("Interventies"),
    "link": _l("Koppeling"),
}
AUTHOR_PARTS = {
    "family_name": _l("achternaam"),
    "given_names": _l("voornamen"),
    "particle": _l("tussenvoegsel"),
}


def column_fields() -> list[tuple[str, str]]:
    """(field, label) for each field a table's column can be assigned to."""
    return [(name, str(FIELD_LABELS[name])) for name in FIELDS]


def field_label(key: str) -> str:
    """The readable name of a problem's field key ("authors.1.family_name" → "Auteur 2:
    achternaam"); an unknown key is shown as it is."""
    parts = key.split(".")
    if parts[0] == "authors" and len(parts) == 3 and parts[1].isdigit():
        part = AUTHOR_PARTS.get(parts[2], parts[2])
        return _("Auteur %(n)s: %(part)s", n=int(parts[1]) + 1, part=part)
    if parts[0] == "findings" and len(parts) >= 2 and parts[1].isdigit():
        return _("Bevinding %(n)s: %(field)s", n=int(parts[1]) + 1, field=".".join(parts[2:]))
    label = FIELD_LABELS.get(parts[0])
    return str(label) if label is not None and len(parts) == 1 else key
