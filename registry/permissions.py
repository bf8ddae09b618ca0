"""Who may do what: one `can_<action>(user, obj)` per action, and a view decorator.

Every view and the procedure's state machine ask these functions; nothing else decides
access. Anonymous users (flask-login's AnonymousUserMixin) may pass as `user`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from registry.errors import PermissionDenied
from registry.models.conflicts import conflicts_of, is_owner_of
from registry.models.user import ROLE_LABELS

# States after which the panel discussion (and so mutual visibility) has begun.
DISCUSSION_STATES = ("in_discussion", "decided", "published", "expired", "objection")


def _has(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)


def panel_member(user, round_) -> Any | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in round_.panel if m.user_id == user.id), None)


def is_panel_reviewer(user, round_) -> bool:
    """On the panel and still a reviewer. A user whose reviewer role was taken away loses
    what the panel may do at once (their seat stays, for the secretary to fill)."""
    return _has(user, "reviewer") and panel_member(user, round_) is not None


def is_declared_panel_member(user, round_) -> bool:
    member = panel_member(user, round_) if _has(user, "reviewer") else None
    return member is not None and member.no_conflict_declared_at is not None


def has_conflict_of_interest(user, round_) -> bool:
    """Submitted it, works for or declared a conflict with its owner, or (objections)
    sat on an earlier panel. Asked again on every access, not only when assigned:
    a conflict can be declared, or an owner role granted, after the assignment."""
    return bool(conflicts_of(user, round_))


def is_cleared_panel_member(user, round_) -> bool:
    """A panel member who declared no conflict and has none that the registry knows of."""
    return is_declared_panel_member(user, round_) and not has_conflict_of_interest(user, round_)


# --- accounts -------------------------------------------------------------------------


def can_manage_users(user, obj=None) -> bool:
    return _has(user, "admin")


def can_view_usage(user, obj=None) -> bool:
    """See the adoption figures (anonymous counts per month)."""
    return _has(user, "admin")


def can_import_interventions(user, obj=None) -> bool:
    """Export the catalogue and import interventions from another databank."""
    return _has(user, "admin")


# --- researchers ----------------------------------------------------------------------


def can_import_studies(user, obj=None) -> bool:
    return _has(user, "researcher")


def can_code_findings(user, study=None) -> bool:
    return _has(user, "researcher")


def can_link_studies(user, intervention=None) -> bool:
    return _has(user, "researcher")


# --- owners ---------------------------------------------------------------------------


def can_create_intervention(user, obj=None) -> bool:
    return _has(user, "owner") and user.organisation_id is not None


def can_edit_draft(user, round_) -> bool:
    return round_.state in ("draft", "returned") and is_owner_of(user, round_.version.intervention)


def can_submit(user, round_) -> bool:
    return is_owner_of(user, round_.version.intervention)


def can_withdraw(user, round_) -> bool:
    return is_owner_of(user, round_.version.intervention)


def can_view_round(user, round_) -> bool:
    return (
        _has(user, "secretary")
        or is_owner_of(user, round_.version.intervention)
        or is_panel_reviewer(user, round_)
    )


def can_edit_guides(user, obj=None) -> bool:
    """Write and revise werkwijzers (practice guides)."""
    return _has(user, "secretary") or _has(user, "admin")


def can_save_profiles(user, obj=None) -> bool:
    """Keep client profiles and see what is new for them (klantmanagers, consultants)."""
    return _has(user, "professional")


def can_share_experiences(user, obj=None) -> bool:
    """Tell how an intervention was carried out in one's municipality (professionals)."""
    return _has(user, "professional")


def can_moderate_experiences(user, obj=None) -> bool:
    """Publish or refuse shared practice experiences."""
    return _has(user, "secretary") or _has(user, "admin")


def can_nominate(user, obj=None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_handle_nominations(user, obj=None) -> bool:
    return _has(user, "secretary")


def can_view_quickscan(user, round_) -> bool:
    return (_has(user, "secretary") or _has(user, "adviser")
            or is_owner_of(user, round_.version.intervention))


def can_ask_advice(user, round_) -> bool:
    return is_owner_of(user, round_.version.intervention)


def can_give_advice(user, round_=None) -> bool:
    return _has(user, "secretary") or _has(user, "adviser")


def can_request_reassessment(user, intervention) -> bool:
    return _has(user, "secretary") or is_owner_of(user, intervention)


def can_lodge_objection(user, round_) -> bool:
    return is_owner_of(user, round_.version.intervention)


# --- secretary ------------------------------------------------------------------------


def _secretary_for(user, round_=None) -> bool:
    """A secretary, and for a round one without a conflict of interest in it: the same
    rules as for its panel (submitted it, works for its owner, declared a conflict).
    One who was also the intervention's owner screened, read the blinded assessments,
    decided and published their own intervention."""
    return _has(user, "secretary") and (round_ is None or not conflicts_of(user, round_))


def can_screen(user, round_=None) -> bool:
    return _secretary_for(user, round_)


def can_assign_panel(user, round_=None) -> bool:
    return _secretary_for(user, round_)


def can_open_discussion(user, round_=None) -> bool:
    return _secretary_for(user, round_)


def can_record_decision(user, round_=None) -> bool:
    return _secretary_for(user, round_)


def can_publish(user, round_=None) -> bool:
    return _secretary_for(user, round_)


def can_expire(user, round_=None) -> bool:
    return _has(user, "secretary")


def can_view_agreement(user, obj=None) -> bool:
    return _has(user, "secretary")


def can_view_audit(user, intervention) -> bool:
    return can_view_whole_audit(user) or is_owner_of(user, intervention)


def can_view_whole_audit(user, obj=None) -> bool:
    """The history with every actor named and every note (owners see the panel as
    anonymous members, without their notes)."""
    return _has(user, "secretary") or _has(user, "admin")


# --- reviewers ------------------------------------------------------------------------


def can_manage_external_ratings(user, intervention=None) -> bool:
    """Record or remove other clearinghouses' ratings of an intervention (the crosswalk)."""
    return _has(user, "secretary") or _has(user, "admin")


def can_view_conflict_register(user, obj=None) -> bool:
    """The register of every declared conflict of interest: the secretary's."""
    return _has(user, "secretary")


def can_declare_conflicts(user, obj=None) -> bool:
    """Reviewers declare standing conflicts with organisations, before any assignment."""
    return _has(user, "reviewer")


def can_declare_no_conflict(user, round_) -> bool:
    return is_panel_reviewer(user, round_)


def can_view_dossier(user, round_) -> bool:
    """Panel members see the dossier only after declaring no conflict of interest, and
    never while they have one."""
    return _secretary_for(user, round_) or is_cleared_panel_member(user, round_)


def can_assess(user, round_) -> bool:
    return _has(user, "reviewer") and is_cleared_panel_member(user, round_)


def can_code_findings_of(user, round_) -> bool:
    """Double coding: a reviewer on the panel, cleared of conflicts."""
    return _has(user, "reviewer") and is_cleared_panel_member(user, round_)


def can_adjudicate(user, round_) -> bool:
    """The secretary or a cleared panel member (services.double_coding refuses a coder
    of the study itself)."""
    return _secretary_for(user, round_) or is_cleared_panel_member(user, round_)


def can_comment(user, round_) -> bool:
    return _secretary_for(user, round_) or is_cleared_panel_member(user, round_)


def can_confirm_decision(user, round_) -> bool:
    return is_cleared_panel_member(user, round_)


def can_view_assessment(user, assessment) -> bool:
    """Blinding: a reviewer sees another's assessment only after submitting their own and
    after the discussion opened; the secretary sees submitted assessments."""
    if not getattr(user, "is_authenticated", False):
        return False
    if assessment.reviewer_id == user.id:
        return True
    if assessment.submitted_at is None:
        return False
    round_ = assessment.round
    member = panel_member(user, round_)
    if member is not None:
        if not is_cleared_panel_member(user, round_):
            return False
        own = next((a for a in round_.assessments if a.reviewer_id == user.id), None)
        return (
            own is not None
            and own.submitted_at is not None
            and round_.state in DISCUSSION_STATES
        )
    return _secretary_for(user, round_)


# --- enforcing ------------------------------------------------------------------------


def authorize(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless allowed (the message in the reader's language)."""
    if not allowed:
        raise PermissionDenied(message or _("U mag deze handeling niet uitvoeren."))


def refusal_reason(check: Callable, user) -> str:
    """Why an object-less check refuses this user, and what to do about it (Dutch)."""
    if check is can_create_intervention and _has(user, "owner"):
        return _("Uw account is nog niet aan een organisatie gekoppeld, en een interventie "
                 "hoort bij een organisatie. Vraag een beheerder om uw organisatie in te "
                 "stellen bij uw gebruikersgegevens.")
    role = _ROLE_OF_CHECK.get(check)
    if role is None:
        return _("U mag deze handeling niet uitvoeren.")
    return _("Dit is werk voor de rol %(role)s, en die heeft uw account niet. Vraag een "
             "beheerder om die rol als u dit werk doet.", role=ROLE_LABELS[role])


def permission_required(check: Callable[[Any, Any], bool]) -> Callable:
    """View decorator for object-less checks: 401 for anonymous users, 403 when refused.

    Object checks happen in the view after loading: `authorize(can_x(current_user, obj))`.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                # Redirects to the sign-in page (login_view is set by registry.auth).
                return current_app.login_manager.unauthorized()
            authorize(check(current_user, None), refusal_reason(check, current_user))
            return view(*args, **kwargs)

        return wrapped

    return decorate


# The role each object-less check asks for, for refusal_reason.
_ROLE_OF_CHECK = {
    can_manage_users: "admin",
    can_import_interventions: "admin",
    can_view_usage: "admin",
    can_save_profiles: "professional",
    can_import_studies: "researcher",
    can_code_findings: "researcher",
    can_link_studies: "researcher",
    can_create_intervention: "owner",
    can_declare_conflicts: "reviewer",
    can_view_agreement: "secretary",
    can_handle_nominations: "secretary",
}
