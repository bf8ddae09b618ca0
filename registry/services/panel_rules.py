"""Panels by the level sought: how many reviewers a round's panel needs and which
expertise must be among them, per level the owner applies for.

The defaults follow the Dutch databanks: practitioners judge a description, a content
expert joins for the theory of change, and every effect level needs a methodologist;
effect levels get a third reviewer. The PANEL_RULES setting (JSON) replaces them per
level; a round without a level sought (rounds from before it was asked, reassessments
started before a level is chosen) needs PANEL_MIN_REVIEWERS, as before panels by level.
The secretary cannot open the discussion while the panel breaks its rule
(registry/services/procedure.py), and the panel page says which part is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from registry.evidence import LABELS as LEVEL_LABELS
from registry.models.user import EXPERTISE, EXPERTISE_LABELS

LEVELS_SOUGHT = ("well_described", "well_founded", "effective_first", "effective_good",
                 "effective_strong")


@dataclass(frozen=True)
class PanelRule:
    level: str | None
    reviewers: int
    expertise: tuple[str, ...]


_EFFECT = {"reviewers": 3, "expertise": ["methodology", "practice"]}
DEFAULT_RULES: dict[str, dict] = {
    "well_described": {"reviewers": 2, "expertise": ["practice"]},
    "well_founded": {"reviewers": 2, "expertise": ["practice", "content"]},
    "effective_first": _EFFECT,
    "effective_good": _EFFECT,
    "effective_strong": _EFFECT,
}


def rules() -> dict[str, PanelRule]:
    """The rule for every level that can be sought, the setting over the defaults.
    Raises ValueError for a setting that names an unknown level or expertise, or asks
    fewer reviewers than PANEL_MIN_REVIEWERS."""
    configured = current_app.config.get("PANEL_RULES") or ""
    chosen = {**DEFAULT_RULES, **(json.loads(configured) if configured else {})}
    minimum = current_app.config["PANEL_MIN_REVIEWERS"]
    result = {}
    for level, rule in chosen.items():
        unknown = [c for c in rule.get("expertise", []) if c not in EXPERTISE]
        if level not in LEVELS_SOUGHT or unknown or int(rule["reviewers"]) < minimum:
            raise ValueError(f"PANEL_RULES: bad rule for {level!r}: {rule!r}")
        result[level] = PanelRule(level, int(rule["reviewers"]), tuple(rule["expertise"]))
    return result


def rule_for(level: str | None) -> PanelRule:
    if level is None:
        return PanelRule(None, current_app.config["PANEL_MIN_REVIEWERS"], ())
    return rules()[level]


def describe(rule: PanelRule) -> str:
    """The rule in a Dutch sentence, for the panel page and the public pages."""
    if not rule.expertise:
        return _("minstens %(n)s beoordelaars", n=rule.reviewers)
    return _("minstens %(n)s beoordelaars, onder wie deskundigheid in: %(expertise)s",
             n=rule.reviewers,
             expertise=", ".join(str(EXPERTISE_LABELS[c]).lower() for c in rule.expertise))


def unmet(rule: PanelRule, members: list) -> list[str]:
    """What the panel (users) lacks under the rule, in Dutch; empty when it is met."""
    missing = []
    if len(members) < rule.reviewers:
        missing.append(_("%(n)s beoordelaars nodig, het panel heeft er %(have)s",
                         n=rule.reviewers, have=len(members)))
    present = set().union(*(m.expertise for m in members)) if members else set()
    for code in rule.expertise:
        if code not in present:
            missing.append(_("niemand in het panel heeft deskundigheid in %(expertise)s",
                             expertise=str(EXPERTISE_LABELS[code]).lower()))
    return missing


def level_label(level: str | None) -> str:
    return str(LEVEL_LABELS[level]) if level else _("niet gekozen")
