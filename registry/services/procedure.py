"""The assessment procedure's state machine: every transition of a round, who may take it
(a `can_*` function from registry.permissions) and what must hold (guards).

draft → submitted → screening → returned | in_review → in_discussion ⇄ decided →
published → expired | objection; withdrawn by the owner from any open state.
Every transition writes an audit event; an invalid one raises InvalidTransition (409).
Concurrent transitions of one round: lock_version makes the second flush fail, which
becomes Conflict (409), so exactly one wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import flag_modified, set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from registry import permissions as perm
from registry.errors import Conflict, InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import AssessmentRound
from registry.models.base import utcnow
from registry.procedure.labels import STATE_LABELS
from registry.schemas.common import whole_number
from registry.services import panel_rules
from registry.services.audit_trail import record_event

Guard = Callable[[AssessmentRound], str | None]


def _panel_complete(round_: AssessmentRound) -> str | None:
    rule = panel_rules.rule_for(round_.level_sought)
    missing = panel_rules.unmet(rule, [m.user for m in round_.panel])
    if missing:
        return _("Het panel voldoet nog niet aan de regel voor %(level)s (%(rule)s): "
                 "%(missing)s.", level=panel_rules.level_label(round_.level_sought),
                 rule=panel_rules.describe(rule), missing="; ".join(missing))
    conflicted = [m.user.name for m in round_.panel
                  if perm.has_conflict_of_interest(m.user, round_)]
    if conflicted:
        return _("Panelleden met een belang: %(names)s. Vervang hen eerst.",
                 names=", ".join(conflicted))
    no_longer = [m.user.name for m in round_.panel if not m.user.has_role("reviewer")]
    if no_longer:
        return _("Panelleden die geen beoordelaar meer zijn: %(names)s. Vervang hen eerst.",
                 names=", ".join(no_longer))
    submitted = {a.reviewer_id for a in round_.assessments if a.submitted_at is not None}
    waiting = [m.user.name for m in round_.panel if m.user_id not in submitted]
    if waiting:
        return _("Nog niet alle beoordelaars hebben hun beoordeling ingediend (nog niet: "
                 "%(names)s).", names=", ".join(waiting))
    return None


def _description_complete(round_: AssessmentRound) -> str | None:
    if round_.version.missing_for_submission():
        return _("De beschrijving is nog niet compleet; vul eerst alles in wat nodig is om "
                 "in te dienen.")
    return None


def _decision_confirmed(round_: AssessmentRound) -> str | None:
    decision = current_decision_of(round_)
    if decision is None:
        return _("Er is nog geen besluit vastgelegd.")
    if any(v.confirmed_at is None for v in decision.votes):
        return _("Nog niet alle panelleden hebben het besluit bevestigd (unanimiteit).")
    return None


def _decision_still_valid(round_: AssessmentRound) -> str | None:
    decision = current_decision_of(round_)
    if decision is not None and decision.valid_until is not None and (
            decision.valid_until < date.today()):
        return _("Het besluit was geldig tot %(date)s en is dus al verlopen: heropen de "
                 "bespreking en leg een nieuw besluit vast.",
                 date=decision.valid_until.isoformat())
    return None


def _lapsed(round_: AssessmentRound) -> str | None:
    decision = current_decision_of(round_)
    if decision is not None and decision.expired_at is not None:
        return None  # the expiry run decided on its own date (it may be told another)
    if decision is None or decision.valid_until is None or decision.valid_until >= date.today():
        return _("Het besluit is nog geldig.")
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: Callable
    guards: tuple[Guard, ...] = field(default=())


_OPEN = ("draft", "submitted", "screening", "returned", "in_review")

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", ("draft", "returned"), "submitted", perm.can_submit,
                   (_description_complete,)),
        Transition("start_screening", ("submitted",), "screening", perm.can_screen),
        Transition("return", ("screening",), "returned", perm.can_screen),
        Transition("accept", ("screening",), "in_review", perm.can_screen),
        Transition(
            "open_discussion",
            ("in_review",),
            "in_discussion",
            perm.can_open_discussion,
            (_panel_complete,),
        ),
        Transition("decide", ("in_discussion",), "decided", perm.can_record_decision),
        # A panel member who cannot confirm sends the decision back to the discussion.
        Transition("reopen_discussion", ("decided",), "in_discussion", perm.can_record_decision),
        Transition(
            "publish", ("decided",), "published", perm.can_publish,
            (_decision_confirmed, _decision_still_valid)
        ),
        Transition("expire", ("published",), "expired", perm.can_expire, (_lapsed,)),
        Transition("withdraw", _OPEN + ("published",), "withdrawn", perm.can_withdraw),
        Transition("object", ("published",), "objection", perm.can_lodge_objection),
    )
}


def allowed_transitions(round_: AssessmentRound, user) -> list[str]:
    """Names of the transitions this user may take now (for buttons on pages)."""
    return [
        t.name
        for t in TRANSITIONS.values()
        if round_.state in t.sources and t.permission(user, round_)
    ]


def transition_blockers(round_: AssessmentRound, user) -> dict[str, str]:
    """For each transition this user may take in this state, why it cannot happen yet
    (the first guard that fails); transitions that can happen now are left out."""
    blockers = {}
    for name in allowed_transitions(round_, user):
        reason = next((r for g in TRANSITIONS[name].guards if (r := g(round_))), None)
        if reason:
            blockers[name] = reason
    return blockers


def apply_transition(
    round_: AssessmentRound, name: str, actor, *, note: str | None = None, system: bool = False
) -> None:
    """Move the round along one transition and audit it; flushes.

    Raises PermissionDenied (not allowed for this actor), InvalidTransition (wrong state or
    a guard fails, with the reason) and Conflict (another transition won the race).
    `system=True` is for the CLI (expiry), which acts for nobody in particular.
    """
    transition = TRANSITIONS[name]
    if not system:
        perm.authorize(transition.permission(actor, round_))
    if round_.state not in transition.sources:
        # The state's code stays in the details for the API; the message is for people.
        raise InvalidTransition(
            _("Deze stap kan niet meer, of nog niet: de ronde is nu '%(state)s'. Laad de "
              "pagina opnieuw.", state=STATE_LABELS.get(round_.state, round_.state)),
            [{"field": "state", "messages": [round_.state]}],
        )
    for guard in transition.guards:
        reason = guard(round_)
        if reason:
            raise InvalidTransition(reason)
    from_state = round_.state
    round_.state = transition.target
    record_event(
        actor,
        name,
        round_,
        intervention_id=round_.intervention_id,
        from_state=from_state,
        to_state=transition.target,
        note=note,
    )
    flush_or_conflict()


def touch_round(round_: AssessmentRound) -> None:
    """Count a change to what the round's transitions check (its panel) as a change of
    the round: its lock_version moves on at the next flush, so a transition that read
    the round before (opening the discussion on the panel it saw) conflicts instead of
    passing its guards on a panel that has changed meanwhile."""
    flag_modified(round_, "state")


def set_once(obj, moment: str) -> bool:
    """Set a moment that happens once (a confirmation, a declaration) to now, unless it
    is set already, also by a request running at the same time (a double click): one
    conditional UPDATE decides. True when this call set it, so it alone audits it."""
    table = type(obj).__table__
    now = utcnow()
    result = db.session.execute(
        update(table).where(table.c.id == obj.id, table.c[moment].is_(None)).values({moment: now}))
    if result.rowcount != 1:
        db.session.refresh(obj, [moment])
        return False
    set_committed_value(obj, moment, now)
    return True


def flush_or_conflict() -> None:
    """Flush; a stale lock_version (or SQLite's write lock lost to a concurrent writer)
    means someone else changed the row first: raise Conflict."""
    try:
        db.session.flush()
    except StaleDataError as error:
        # The request (registry/unit_of_work.py) rolls back; a service never does.
        raise Conflict(
            _("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.")
        ) from error
    except OperationalError as error:
        if "locked" not in str(error).lower():
            raise
        raise Conflict(
            _("Iemand anders wijzigt dit op dit moment. Probeer het opnieuw.")) from error


def check_lock_version(obj, submitted: int | str | None) -> None:
    """Refuse a form based on an older lock_version than the stored one. Raises Conflict,
    and ValidationFailed for a lock_version that is no number."""
    if submitted is None:
        return
    number = submitted if isinstance(submitted, int) else whole_number(submitted)
    if number is None:
        message = _("Het formulier is beschadigd (versienummer). Laad de pagina opnieuw.")
        raise ValidationFailed(message, [{"field": "lock_version", "messages": [message]}])
    if number != obj.lock_version:
        raise Conflict(
            _("Iemand anders heeft dit intussen opgeslagen. Uw wijzigingen zijn niet bewaard; "
              "laad de pagina opnieuw en voer ze nog eens in."),
            [{"field": "lock_version", "messages": [str(obj.lock_version)]}],
        )


def current_decision_of(round_: AssessmentRound):
    from registry.models import EvidenceDecision

    return db.session.scalars(
        db.select(EvidenceDecision)
        .filter_by(round_id=round_.id, superseded_at=None)
        .order_by(EvidenceDecision.id.desc())
    ).first()


def get_round(round_id: int) -> AssessmentRound:
    """A round by id. Raises NotFound."""
    from registry.errors import NotFound

    round_ = db.session.get(AssessmentRound, round_id)
    if round_ is None:
        raise NotFound(_("Beoordelingsronde %(id)s bestaat niet.", id=round_id))
    return round_
