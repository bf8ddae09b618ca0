"""The panel's ratings per outcome domain and follow-up horizon in a decision: each
domain × horizon the findings rate gets the rating the panel chose, or the proposed one
when it chose none; a rating that differs from the proposal needs a reason, which is
published with it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from registry.effects.domains import RATINGS, groups_for
from registry.errors import ValidationFailed
from registry.models import DomainRating, EvidenceDecision
from registry.services.effects import effect_studies

MIN_REASON_CHARS = 20


def field_name(kind: str, domain: str, horizon: str) -> str:
    """The form field of one group's rating ("rating") or reason ("reason")."""
    return f"{kind}__{domain}__{horizon}"


def chosen_ratings(form) -> dict[tuple[str, str], dict[str, Any]]:
    """The panel's choices in a posted form: (domain, horizon) -> decided and reason;
    a rating that is not one of RATINGS is kept as given, for choose() to refuse."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for name, value in form.items():
        kind, _sep, rest = name.partition("__")
        domain, _sep, horizon = rest.partition("__")
        if kind in ("rating", "reason") and domain and horizon:
            chosen.setdefault((domain, horizon), {})[
                "decided" if kind == "rating" else "reason"] = (value or "").strip()
    return chosen


def choose(intervention, chosen: dict[tuple[str, str], dict[str, Any]],
           qualities: dict[int, str] | None = None) -> list[dict]:
    """One row per domain × horizon the intervention's findings rate now (with the
    studies' `qualities` the panel agreed), with the panel's choice. Raises
    ValidationFailed naming each field: an unknown rating, or one that differs from the
    proposal without a reason of MIN_REASON_CHARS, or a domain × horizon the findings
    do not rate (it would otherwise be ignored without a word)."""
    rows, details = [], []
    groups = groups_for(effect_studies(intervention), qualities)
    rated = {(group.domain.code, group.horizon) for group in groups}
    for domain, horizon in sorted(set(chosen) - rated):
        details.append({"field": field_name("rating", domain, horizon), "messages": [
            _("De bevindingen geven geen oordeel in dit uitkomstdomein op deze termijn; "
              "kies een van de getoonde.")]})
    for group in groups:
        choice = chosen.get((group.domain.code, group.horizon), {})
        decided = choice.get("decided") or group.proposed
        reason = choice.get("reason") or None
        if decided not in RATINGS:
            details.append({"field": field_name("rating", group.domain.code, group.horizon),
                            "messages": [_("Kies een van de mogelijkheden.")]})
        elif decided != group.proposed and len(reason or "") < MIN_REASON_CHARS:
            details.append({"field": field_name("reason", group.domain.code, group.horizon),
                            "messages": [_("Leg uit waarom dit oordeel afwijkt van het "
                                           "voorgestelde (minstens %(min)s tekens).",
                                           min=MIN_REASON_CHARS)]})
        rows.append({"outcome_domain_id": group.domain.id, "horizon": group.horizon,
                     "proposed": group.proposed, "decided": decided, "reason": reason})
    if details:
        raise ValidationFailed(_("Een oordeel per uitkomstdomein wijkt af zonder uitleg."),
                               details)
    return rows


def attach(decision: EvidenceDecision, rows: list[dict]) -> None:
    """Add the chosen ratings to a new decision (flushed with it)."""
    decision.domain_ratings = [DomainRating(**row) for row in rows]
