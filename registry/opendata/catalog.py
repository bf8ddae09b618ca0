"""The dataset's description in DCAT-AP-NL (DCAT-AP 2 with the Dutch profile's
vocabularies), as JSON-LD, so the national data portal (data.overheid.nl) can harvest
it: the dataset with its mandatory properties and one distribution, the ZIP."""

from __future__ import annotations

from datetime import date

from registry.opendata.package import LICENCE, NAME

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/NLD"
THEME = "http://standaarden.overheid.nl/owms/terms/Werk_(thema)"
ACCESS = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
ZIP_FORMAT = "http://publications.europa.eu/resource/authority/file-type/ZIP"


def _text(nl: str, en: str) -> list[dict]:
    return [{"@value": nl, "@language": "nl"}, {"@value": en, "@language": "en"}]


def catalog(urls: dict[str, str | None], publisher: str, email: str,
            modified: date | None) -> dict:
    """The JSON-LD document. `urls`: catalog, dataset page (landing) and download (None
    while no package has been written: no distribution then, rather than one whose
    download answers 404); `modified`: the day the package's content last changed."""
    dataset = {
        "@id": urls["landing"] + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": urls["landing"] + "#dataset",
        "dct:title": _text("Interventies naar Werk: erkende interventies, besluiten en "
                           "onderzoek", "Interventions towards work: recognised "
                           "interventions, decisions and research"),
        "dct:description": _text(
            "Gepubliceerde interventies naar werk voor gemeenten, met cliëntkenmerken, de "
            "besluiten van de erkenningscommissie, oordelen per uitkomstdomein, studies en "
            "hun bevindingen.", "Published interventions towards work for Dutch "
            "municipalities, with client characteristics, the recognition panel's "
            "decisions, ratings per outcome domain, studies and their findings."),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": publisher,
                              "vcard:hasEmail": {"@id": f"mailto:{email}"}},
        "dcat:keyword": [{"@value": word, "@language": "nl"} for word in (
            "participatie", "werk", "interventies", "effectiviteit", "gemeenten")],
        "dcat:theme": {"@id": THEME},
        "dct:language": {"@id": LANGUAGE},
        "dct:license": {"@id": LICENCE["path"]},
        "dct:accessRights": {"@id": ACCESS},
        "dcat:landingPage": {"@id": urls["landing"]},
    }
    distribution = {
        "@id": urls["download"],
        "@type": "dcat:Distribution",
        "dct:title": _text("Data package (CSV, JSON Lines, datapackage.json)",
                           "Data package (CSV, JSON Lines, datapackage.json)"),
        "dcat:accessURL": {"@id": urls["landing"]},
        "dcat:downloadURL": {"@id": urls["download"]},
        "dct:format": {"@id": ZIP_FORMAT},
        "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/"
                                  "application/zip"},
        "dct:license": {"@id": LICENCE["path"]},
        "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
    }
    if urls["download"] is not None:
        dataset["dcat:distribution"] = distribution
    if modified is not None:
        dataset["dct:modified"] = {"@value": modified.isoformat(), "@type": "xsd:date"}
    return {
        "@context": CONTEXT,
        "@id": urls["catalog"],
        "@type": "dcat:Catalog",
        "dct:title": _text(f"Catalogus {NAME}", f"Catalogue {NAME}"),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dcat:dataset": dataset,
    }
