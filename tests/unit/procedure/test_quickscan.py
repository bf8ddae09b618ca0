"""The owner's quickscan (registry/services/quickscan.py): the highest level within reach
and what the next one misses, from the draft and its linked studies."""

from __future__ import annotations

from registry.extensions import db
from registry.services.quickscan import LEVEL_RULES, quickscan
from tests.factories import FindingFactory, link, term
from tests.unit.procedure.support import drive, link_rct, make_cast

DESCRIBED = {
    "duration": "Zes maanden", "intensity": "Twee uur per week",
    "manual_and_materials": "Handleiding en werkboek voor de jobcoach.",
    "implementation_conditions": "Een jobcoach per vijftien deelnemers.",
    "contact_name": "Fatima El Amrani", "contact_email": "f.elamrani@example.org",
}


def _draft(with_study: bool = False):
    return drive(make_cast(), "draft", with_study=with_study).version


def _describe(version) -> None:
    for name, value in DESCRIBED.items():
        setattr(version, name, value)
    version.tags.append(term("target_group", "social_assistance"))
    db.session.flush()


def _missing(scan) -> list[str]:
    return [r.rule.code for r in scan.next_level.results if not r.met]


def test_a_bare_draft_reaches_no_level_and_is_told_what_a_description_needs():
    scan = quickscan(_draft())
    assert scan.reachable is None
    assert scan.next_level.level == "well_described"
    # The draft of the support module has title, summary, aims, target group text,
    # approach and active elements, nothing else.
    assert _missing(scan) == ["target_group_tags", "dose", "manual", "conditions", "contact"]


def test_a_complete_description_is_well_described_and_told_what_theory_needs():
    version = _draft()
    _describe(version)
    scan = quickscan(version)
    assert scan.reachable == "well_described"
    assert scan.next_level.level == "well_founded"
    assert _missing(scan) == ["barriers", "theory_study"]


def test_barriers_and_a_theory_study_make_it_well_founded():
    version = _draft()
    _describe(version)
    version.tags.append(term("barrier", "debt"))
    link(version.intervention, FindingFactory().study, relation="theory")
    scan = quickscan(version)
    assert scan.reachable == "well_founded"
    assert _missing(scan) == ["favourable_study"]


def test_a_favourable_controlled_study_of_moderate_quality_reaches_effective_good():
    version = _draft()
    _describe(version)
    version.tags.append(term("barrier", "debt"))
    link(version.intervention, FindingFactory().study, relation="theory")
    link_rct(version.intervention, quality="moderate")
    scan = quickscan(version)
    assert scan.reachable == "effective_good"
    assert scan.next_level.level == "effective_strong"


def test_effect_evidence_without_a_description_reaches_nothing():
    # Levels are cumulative: studies cannot make up for a missing description.
    version = _draft(with_study=True)
    scan = quickscan(version)
    assert scan.reachable is None
    effective_good = next(c for c in scan.levels if c.level == "effective_good")
    assert effective_good.met


def test_every_level_has_rules_in_the_order_of_the_levels():
    assert list(LEVEL_RULES) == ["well_described", "well_founded", "effective_first",
                                 "effective_good", "effective_strong"]
    assert all(LEVEL_RULES.values())
