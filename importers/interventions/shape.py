"""One intervention in the interchange shape, from the database; shared by the export
and by the import's check of what a record would change."""

from __future__ import annotations

from typing import Any

from registry.models import EvidenceDecision, Intervention, InterventionVersion
from registry.models.intervention import VERSION_FIELDS
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES

DESCRIPTION_KEYS = (*VERSION_FIELDS, "owner", "providers", "tags")


def description_of(intervention: Intervention, version: InterventionVersion) -> dict[str, Any]:
    """The version's fields, its tags per vocabulary (term order) and providers, and the
    owner, by code and slug."""
    values: dict[str, Any] = {name: getattr(version, name) for name in VERSION_FIELDS}
    values["owner"] = intervention.owner.slug if intervention.owner else None
    values["providers"] = sorted(o.slug for o in version.providers)
    tags: dict[str, list[str]] = {}
    for term in sorted(version.tags, key=lambda t: (t.vocabulary, t.position, t.code)):
        if term.vocabulary in INTERVENTION_TAG_VOCABULARIES:
            tags.setdefault(term.vocabulary, []).append(term.code)
    values["tags"] = tags
    return values


def comparable(description: dict[str, Any]) -> dict[str, Any]:
    """A description with empty text as None, lists as given and tags as sorted sets, so
    a file's record and the database's compare equal when they say the same."""
    values = {key: (None if description.get(key) == "" else description.get(key))
              for key in DESCRIPTION_KEYS}
    values["providers"] = sorted(values["providers"] or [])
    values["tags"] = {vocabulary: sorted(set(codes))
                      for vocabulary, codes in (values["tags"] or {}).items() if codes}
    for name in ("sub_aims", "active_elements"):
        values[name] = list(values[name] or [])
    return values


def decision_key(decision: EvidenceDecision | dict[str, Any]) -> tuple:
    """What identifies a decision across registries: its date, outcome and level."""
    get = decision.get if isinstance(decision, dict) else lambda name: getattr(decision, name)
    return get("decided_on"), get("outcome"), get("level")


def decision_text(decision: EvidenceDecision | dict[str, Any]) -> tuple:
    """What must agree when a file's decision and the registry's share a key."""
    get = decision.get if isinstance(decision, dict) else lambda name: getattr(decision, name)
    return (get("rationale") or "").strip(), (get("conditions") or "").strip() or None, \
        get("valid_until")
