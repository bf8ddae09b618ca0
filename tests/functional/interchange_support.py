"""Interchange files for the intervention import tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from registry.schemas.interchange import FORMAT, SCHEMA_VERSION

RECORD: dict[str, Any] = {
    "slug": "werkfit-in-de-wijk",
    "title": "Werkfit in de wijk",
    "summary": "Buurtteams begeleiden bijstandsgerechtigden naar werk.",
    "main_aim": "Deelnemers vinden betaald werk.",
    "target_group_text": "Bijstandsgerechtigden met schulden.",
    "approach": "Coaching en een werkervaringsplaats.",
    "owner": "stichting-werkfit",
    "providers": ["stichting-werkfit"],
    "tags": {"target_group": ["social_assistance"], "barrier": ["debt", "language"]},
    "decisions": [{"outcome": "well_described", "decided_on": "2024-03-01",
                   "valid_until": "2029-03-01",
                   "rationale": "Doel, doelgroep en aanpak zijn helder beschreven.",
                   "ratings": [{"outcome_domain": "work", "level": "well_described"}]}],
    "external_ratings": [{"source": "movisie", "label": "Goed beschreven",
                          "rated_on": "2023-05-01"}],
}
ORGANISATION = {"slug": "stichting-werkfit", "name": "Stichting Werkfit", "kind": "provider",
                "sector": "private"}


def record(**changes: Any) -> dict[str, Any]:
    """The example record with some fields changed (None removes a field)."""
    found = copy.deepcopy(RECORD)
    for name, value in changes.items():
        if value is None:
            found.pop(name, None)
        else:
            found[name] = value
    return found


def interchange(*records: dict[str, Any], organisations=None, **header: Any) -> dict[str, Any]:
    document = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                "organisations": [ORGANISATION] if organisations is None else organisations,
                "interventions": list(records)}
    document.update(header)
    return document


def write(folder: Path, document: Any, name: str = "interventies.json") -> Path:
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document),
                    encoding="utf-8")
    return path
