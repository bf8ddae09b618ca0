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
    """The rule for every level that can be sought, the setting over the defaults."""
    return parse_rules(current_app.config.get("PANEL_RULES") or "",
                       current_app.config["PANEL_MIN_REVIEWERS"])


def parse_rules(configured: str, minimum: int) -> dict[str, PanelRule]:
    """The PANEL_RULES setting (JSON) over the defaults. Raises ValueError naming the
    level for a setting that is no JSON object, names an unknown level or expertise, or
    asks fewer reviewers than the minimum (the app refuses to start with one)."""
    try:
        given = json.loads(configured) if configured else {}
    except ValueError as error:
        raise ValueError(f"PANEL_RULES: not JSON ({error})") from None
    if not isinstance(given, dict):
        raise ValueError("PANEL_RULES: expected a JSON object of level -> rule")
    result = {}
    for level, rule in {**DEFAULT_RULES, **given}.items():
        try:
            reviewers, expertise = int(rule["reviewers"]), tuple(rule.get("expertise", ()))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(f"PANEL_RULES: bad rule for {level!r}: {rule!r}") from None
        unknown = [c for c in expertise if c not in EXPERTISE]
        if level not in LEVELS_SOUGHT or unknown or reviewers < minimum:
            raise ValueError(f"PANEL_RULES: bad rule for {level!r}: {rule!r} (levels: "
                             f"{', '.join(LEVELS_SOUGHT)}; expertise: {', '.join(EXPERTISE)};"
                             f" at least {minimum} reviewers)")
        result[level] = PanelRule(level, reviewers, expertise)
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
