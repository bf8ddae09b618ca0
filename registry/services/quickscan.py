"""The owner's quickscan: before a formal submission, which level a draft could at most
reach and what is missing for the next one.

A self-check, not a judgement: the panel decides. The quickscan reads what the registry
can read of a draft — which parts of the description are filled in, its tags, and the
designs, quality and coded findings of the studies linked to it — against the rules of
LEVEL_RULES, in the order of the levels; a level counts as within reach when its rules
and those of every level below it are met. The rules are shown with the result, and on
the public page about the recognition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from registry.models import InterventionVersion
from registry.services.catalogue import load_linked_studies
from registry.services.suggested_level import suggested_level_for

EFFECT_LEVELS = ("effective_first", "effective_good", "effective_strong")
MIN_ACTIVE_ELEMENTS = 2


@dataclass(frozen=True)
class Rule:
    code: str
    label: object  # a lazy Dutch text
    check: Callable[[InterventionVersion], bool]


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    met: bool


@dataclass(frozen=True)
class LevelCheck:
    level: str
    results: list[RuleResult]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.results)


@dataclass(frozen=True)
class Quickscan:
    levels: list[LevelCheck]
    reachable: str | None  # the highest level within reach, None below well_described
    next_level: LevelCheck | None  # the first level not within reach, with what it misses


def _filled(*names: str) -> Callable[[InterventionVersion], bool]:
    return lambda v: all(str(getattr(v, n) or "").strip() for n in names)


def _tagged(vocabulary: str) -> Callable[[InterventionVersion], bool]:
    return lambda v: bool(v.tags_of(vocabulary))


def _linked(relation: str) -> Callable[[InterventionVersion], bool]:
    return lambda v: any(link.relation == relation for link in v.intervention.study_links)


def _effect_level_at_least(level: str) -> Callable[[InterventionVersion], bool]:
    def check(version: InterventionVersion) -> bool:
        suggested = suggested_level_for(version.intervention)  # what the panel is shown
        return suggested is not None and (
            EFFECT_LEVELS.index(suggested) >= EFFECT_LEVELS.index(level))
    return check


LEVEL_RULES: dict[str, tuple[Rule, ...]] = {
    "well_described": (
        Rule("core", _l("Titel, samenvatting, hoofddoel, doelgroep en aanpak zijn beschreven"),
             _filled("title", "summary", "main_aim", "target_group_text", "approach")),
        Rule("sub_aims", _l("Er is minstens één subdoel"), lambda v: bool(v.sub_aims)),
        Rule("target_group_tags", _l("De doelgroep is gekozen uit de lijst van doelgroepen"),
             _tagged("target_group")),
        Rule("dose", _l("Duur en intensiteit zijn beschreven"),
             _filled("duration", "intensity")),
        Rule("manual", _l("Handleiding en materialen zijn beschreven"),
             _filled("manual_and_materials")),
        Rule("conditions", _l("De voorwaarden voor uitvoering zijn beschreven"),
             _filled("implementation_conditions")),
        Rule("contact", _l("Er is een contactpersoon met e-mailadres"),
             _filled("contact_name", "contact_email")),
    ),
    "well_founded": (
        Rule("active_elements",
             _l("Er zijn minstens %(n)s werkzame elementen benoemd", n=MIN_ACTIVE_ELEMENTS),
             lambda v: len(v.active_elements or []) >= MIN_ACTIVE_ELEMENTS),
        Rule("barriers", _l("De belemmeringen waar de aanpak op ingrijpt zijn gekozen"),
             _tagged("barrier")),
        Rule("theory_study",
             _l("Minstens één studie is gekoppeld als onderbouwing van de veranderingstheorie"),
             _linked("theory")),
    ),
    "effective_first": (
        Rule("favourable_study",
             _l("Minstens één gekoppelde effectstudie (voor- en nameting, cohort of "
                "gecontroleerd) met een gunstige uitkomst"),
             _effect_level_at_least("effective_first")),
    ),
    "effective_good": (
        Rule("controlled_study",
             _l("Minstens één gecontroleerde studie (RCT of quasi-experimenteel) van matige "
                "of hoge kwaliteit met een gunstig effect"),
             _effect_level_at_least("effective_good")),
    ),
    "effective_strong": (
        Rule("two_controlled_studies",
             _l("Minstens twee gecontroleerde studies met een gunstig effect, waarvan één "
                "van hoge kwaliteit met een follow-up van zes maanden of langer"),
             _effect_level_at_least("effective_strong")),
    ),
}


def quickscan(version: InterventionVersion) -> Quickscan:
    """Every level's rules checked against this version and its intervention's studies."""
    load_linked_studies(version.intervention)  # the rules read every linked study
    levels = [LevelCheck(level, [RuleResult(rule, bool(rule.check(version))) for rule in rules])
              for level, rules in LEVEL_RULES.items()]
    reachable, next_level = None, None
    for check in levels:
        if not check.met:
            next_level = check
            break
        reachable = check.level
    return Quickscan(levels, reachable, next_level)
