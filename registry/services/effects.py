"""An intervention's effects per outcome domain (registry/effects/domains.py) from its
linked effect studies that are finished; what the intervention page, its forest plots
and the evidence API show."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from registry.effects.domains import Group, groups_for


@dataclass(frozen=True)
class DomainEffects:
    domain: object  # registry.models.VocabularyTerm
    groups: list[Group]

    @property
    def is_harmful(self) -> bool:
        return any(group.is_harmful for group in self.groups)


def effect_studies(intervention) -> list:
    """The finished studies linked to the intervention as effect studies."""
    return [link.study for link in intervention.study_links
            if link.relation == "effect" and not link.study.ongoing]


def effects_of(intervention) -> list[DomainEffects]:
    """Per outcome domain (vocabulary order) its groups per follow-up horizon."""
    groups = groups_for(effect_studies(intervention))
    return [DomainEffects(domain, list(items))
            for domain, items in groupby(groups, key=lambda g: g.domain)]
