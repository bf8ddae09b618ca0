"""The CSV template for spreadsheet users: one intervention per row, with its current
decision and its studies in a cell. Read into the same records as the JSON format, so
one set of rules checks both; the JSON format carries more (several decisions, ratings
per outcome domain, organisations, other clearinghouses' ratings).

Lists in a cell are separated by "|" or line breaks; a study is a DOI (starting with
"10."), a PMID (digits) or a title, optionally followed by its year in brackets.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from importers.csv_format import rows, template_text
from registry.models.intervention import VERSION_FIELDS
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES

LIST_FIELDS = ("sub_aims", "active_elements", "providers")
DECISION_COLUMNS = {"decision_outcome": "outcome", "decision_level": "level",
                    "decided_on": "decided_on", "valid_until": "valid_until",
                    "rationale": "rationale", "conditions": "conditions"}
COLUMNS = (("slug", *VERSION_FIELDS, "owner", "providers", *INTERVENTION_TAG_VOCABULARIES)
           + tuple(DECISION_COLUMNS) + ("studies",))
_SPLIT = re.compile(r"\s*(?:\||\r?\n)\s*")
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)$")
_BOOLEANS = {"ja": "true", "nee": "false", "yes": "true", "no": "false"}


def csv_records(stream: BinaryIO) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) per row. Raises ImportRejected on an unknown column or bad
    CSV."""
    return [(line, row_record(cells)) for line, cells in rows(stream, COLUMNS, {})]


def row_record(cells: dict[str, str]) -> dict[str, Any]:
    """One row as an interchange record; empty cells are left out (their defaults
    apply)."""
    filled = {name: value.strip() for name, value in cells.items() if name and value.strip()}
    record: dict[str, Any] = {}
    for name in ("slug", *VERSION_FIELDS, "owner"):
        if name in filled:
            record[name] = filled[name]
    for name in LIST_FIELDS:
        if name in filled:
            record[name] = _SPLIT.split(filled[name])
    if "targets_household" in filled:
        value = filled["targets_household"]
        record["targets_household"] = _BOOLEANS.get(value.lower(), value)
    tags = {v: _SPLIT.split(filled[v]) for v in INTERVENTION_TAG_VOCABULARIES if v in filled}
    if tags:
        record["tags"] = tags
    decision = {key: filled[column] for column, key in DECISION_COLUMNS.items()
                if column in filled}
    if decision:
        record["decisions"] = [decision]
    if "studies" in filled:
        record["studies"] = [study_ref(item) for item in _SPLIT.split(filled["studies"])]
    return record


def study_ref(text: str) -> dict[str, Any]:
    """A study named in a cell: DOI, PMID, or title with an optional "(year)"."""
    if text.lower().startswith(("10.", "doi:")):
        return {"doi": text.removeprefix("doi:").strip()}
    if text.isdigit():
        return {"pmid": text}
    found = _TITLE_YEAR.match(text)
    if found:
        return {"title": found["title"], "year": found["year"]}
    return {"title": text}


def csv_column(field: str) -> str:
    """The template column a record's field path came from ("decisions.0.rationale" →
    "rationale", "studies.2.doi" → "studies")."""
    parts = field.split(".")
    if parts[0] == "decisions" and len(parts) > 2:
        return next((c for c, key in DECISION_COLUMNS.items() if key == parts[2]), field)
    if parts[0] == "tags" and len(parts) > 1:
        return parts[1]
    if parts[0] in (*LIST_FIELDS, "studies"):
        return parts[0]
    return field


def template_csv() -> str:
    """The downloadable template: the header and one example row."""
    example = {
        "slug": "voorbeeld-werkfit", "title": "Werkfit: voorbeeld van een interventie",
        "summary": "Korte beschrijving voor klantmanagers.",
        "main_aim": "Deelnemers vinden betaald werk.",
        "sub_aims": "Binnen drie maanden een werkervaringsplaats | Na een jaar betaald werk",
        "target_group_text": "Bijstandsgerechtigden met een grote afstand tot werk.",
        "targets_household": "nee", "approach": "Individuele begeleiding en training.",
        "ladder_rung_min": "2", "ladder_rung_max": "4", "decision_outcome": "well_described",
        "decided_on": "2024-03-01", "valid_until": "2029-03-01",
        "rationale": "De interventie is goed beschreven: doel, doelgroep en aanpak zijn "
                     "helder.",
        "studies": "10.5555/voorbeeld.1 | 12345678 | Evaluatie van Werkfit (2022)",
    }  # fmt: skip
    return template_text(COLUMNS, example)
