"""The advisory round: before a formal submission the owner may ask the secretariat about
a draft, and the secretary or an adviser answers with advice. Nothing is decided and the
round stays a draft; every question and every advice is an audit event and a notice."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.i18n import N_
from registry.models import AssessmentRound, RoundAdvice, User
from registry.services.accounts import active_owners_of, active_with_role
from registry.services.audit_trail import record_event
from registry.services.notices import notify

ADVISORY_STATES = ("draft", "returned")
MAX_CHARS = 5000
MIN_ADVICE_CHARS = 20


def ask(round_: AssessmentRound, owner: User, question: str) -> RoundAdvice:
    """The owner's question about the draft. Raises PermissionDenied, InvalidTransition
    (not a draft), ValidationFailed (empty or too long)."""
    perm.authorize(perm.can_ask_advice(owner, round_))
    _check_open(round_)
    return _add(round_, owner, "question", _checked(question, 1), "advice_requested")


def give(round_: AssessmentRound, secretary: User, advice: str) -> RoundAdvice:
    """The secretary's or an adviser's advice on the draft. Raises PermissionDenied,
    InvalidTransition (not a draft), ValidationFailed (shorter than MIN_ADVICE_CHARS or
    too long)."""
    perm.authorize(perm.can_give_advice(secretary, round_))
    _check_open(round_)
    return _add(round_, secretary, "advice", _checked(advice, MIN_ADVICE_CHARS),
                "advice_given")


def open_questions(round_: AssessmentRound) -> bool:
    """Whether the owner's last question has no advice after it yet."""
    kinds = [a.kind for a in round_.advice]
    return "question" in kinds and kinds[-1] == "question"


def awaiting_advice() -> list[AssessmentRound]:
    """Drafts whose owner's last question has no advice yet, oldest question first."""
    asked = db.session.scalars(
        select(AssessmentRound).join(RoundAdvice)
        .where(AssessmentRound.state.in_(ADVISORY_STATES)).distinct())
    waiting = [r for r in asked if open_questions(r)]
    return sorted(waiting, key=lambda r: r.advice[-1].id)


def _checked(text: str | None, minimum: int) -> str:
    text = (text or "").strip()
    if len(text) < minimum or len(text) > MAX_CHARS:
        message = (_("Schrijf minstens %(n)s tekens.", n=minimum) if len(text) < minimum
                   else _("Ten hoogste %(n)s tekens.", n=MAX_CHARS))
        raise ValidationFailed(message, [{"field": "body", "messages": [message]}])
    return text


def _check_open(round_: AssessmentRound) -> None:
    if round_.state not in ADVISORY_STATES:
        raise InvalidTransition(_("Advies kan alleen over een concept dat nog niet is "
                                  "ingediend."))


def _add(round_: AssessmentRound, author: User, kind: str, body: str,
         action: str) -> RoundAdvice:
    advice = RoundAdvice(round=round_, kind=kind, author_id=author.id, body=body)
    db.session.add(advice)
    record_event(author, action, round_, intervention_id=round_.intervention_id, note=body)
    db.session.flush()
    link = f"/procedure/rondes/{round_.id}/quickscan"
    if kind == "question":
        notify(active_with_role("secretary", "adviser"), "advice_requested",
               N_("Een indiener vraagt advies over een concept."), link,
               about=round_.version.title)
    else:
        notify(active_owners_of(round_.version.intervention), "advice_given",
               N_("Het secretariaat heeft advies gegeven over uw concept."), link,
               about=round_.version.title)
    return advice
