"""Accounts: users and roles, passwords, sign-in throttling and API tokens.

Passwords are hashed with werkzeug's scrypt (memory-hard; werkzeug's default since 3.0).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from registry.errors import Conflict, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import ApiToken, FailedLogin, Organisation, User, UserExpertise, UserRole
from registry.models.base import as_utc, utcnow
from registry.models.user import EXPERTISE, ROLES
from registry.row_locks import hold_row
from registry.services.audit_trail import record_event
from registry.unit_of_work import commit_this_get

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "auth" / "common_passwords.txt"
TOKEN_PREFIX = "ivw_"  # noqa: S105 (a visible marker, not a secret)


class TooManyAttempts(Exception):
    """Sign-in refused before checking the password: too many recent failures."""


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def _setting(name: str, default: int) -> int:
    return int(current_app.config[name])


def password_problems(password: str) -> list[str]:
    """Dutch messages for each reason a password is refused; empty when acceptable."""
    problems = []
    minimum = _setting("PASSWORD_MIN_LENGTH", 12)
    if len(password) < minimum:
        problems.append(_("Het wachtwoord moet minstens %(minimum)s tekens lang zijn.",
                          minimum=minimum))
    if password.strip().lower() in common_passwords():
        problems.append(_("Dit wachtwoord is te algemeen; kies een ander."))
    return problems


def set_password(user: User, password: str) -> None:
    """Hash and store a new password. Raises ValidationFailed when it is too weak."""
    problems = password_problems(password)
    if problems:
        raise ValidationFailed(problems[0], [{"field": "password", "messages": problems}])
    replacing = user.password_hash is not None
    user.password_hash = generate_password_hash(password, method="scrypt")
    if replacing:
        # Whoever knew the old password is signed out everywhere, and loses the API
        # tokens they could have made with it.
        end_sessions(user)
        revoke_all_tokens(user)


def end_sessions(user: User) -> None:
    """End every session of this user on every device (registry/auth/sessions.py)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


@cache
def _unknown_account_hash() -> str:
    # Checked against for an unknown e-mail address, so that a sign-in with it costs
    # the same scrypt work as one with a known address (no account enumeration).
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, name: str, password: str, roles: list[str], actor: User | None = None, **fields
) -> User:
    """Create a user with roles (audited; actor None is the CLI).
    Raises ValidationFailed (bad role/password), Conflict (email taken)."""
    email = normalise_email(email)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(_("Onbekende rol: %(roles)s", roles=", ".join(unknown)))
    if db.session.scalar(select(User).filter_by(email=email)) is not None:
        message = _("Er bestaat al een gebruiker met e-mailadres %(email)s.", email=email)
        raise Conflict(message, [{"field": "email", "messages": [message]}])
    user = User(email=email, name=name, **fields)
    set_password(user, password)
    user.role_grants = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    record_event(actor, "create_user", user, intervention_id=None,
                 after={"email": email, "roles": sorted(user.roles)})
    return user


def set_organisation(user: User, organisation_id: int | None, actor: User | None = None) -> None:
    """Set the organisation a user works for (audited). Raises ValidationFailed for an
    organisation that does not exist."""
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        message = _("Deze organisatie bestaat niet.")
        raise ValidationFailed(message, [{"field": "organisation_id", "messages": [message]}])
    if user.organisation_id == organisation_id:
        return
    before = user.organisation_id
    user.organisation_id = organisation_id
    db.session.flush()
    record_event(actor, "set_organisation", user, intervention_id=None,
                 before={"organisation_id": before}, after={"organisation_id": organisation_id})


def set_roles(user: User, roles: list[str], actor: User | None = None) -> None:
    """Replace a user's roles (audited). Raises ValidationFailed for an unknown role."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(_("Onbekende rol: %(roles)s", roles=", ".join(unknown)))
    _replace_grants(user, "role_grants", "role", roles, UserRole, actor)


def set_expertise(user: User, codes: list[str], actor: User | None = None) -> None:
    """Replace a user's recorded expertise (audited). Raises ValidationFailed for an
    unknown code."""
    unknown = [c for c in codes if c not in EXPERTISE]
    if unknown:
        raise ValidationFailed(_("Onbekende deskundigheid: %(codes)s", codes=", ".join(unknown)))
    _replace_grants(user, "expertise_grants", "code", codes, UserExpertise, actor)


def _replace_grants(user: User, grants: str, key: str, codes: list[str], model,
                    actor: User | None) -> None:
    """Keep the grants whose code is in codes, add the missing ones, audit a change as
    set_roles / set_expertise with the codes before and after."""
    current = getattr(user, grants)
    before = sorted(getattr(g, key) for g in current)
    kept = [g for g in current if getattr(g, key) in codes]
    added = [model(**{key: c}) for c in dict.fromkeys(codes) if c not in before]
    setattr(user, grants, kept + added)
    db.session.flush()
    after = sorted(getattr(g, key) for g in getattr(user, grants))
    if before != after:
        name = "roles" if grants == "role_grants" else "expertise"
        record_event(actor, f"set_{name}", user, intervention_id=None,
                     before={name: before}, after={name: after})


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    """Activate or deactivate a user (audited; a deactivated user's sessions and tokens
    stop working at once)."""
    if user.active != active:
        record_event(actor, "set_active", user, intervention_id=None,
                     before={"active": user.active}, after={"active": active})
        user.active = active
        db.session.flush()


def keep_an_admin() -> None:
    """Raises Conflict when no active user holds the admin role any more: nobody could
    then manage users from the site."""
    active_admins = db.session.scalar(
        select(func.count()).select_from(User).join(UserRole)
        .where(UserRole.role == "admin", User.active.is_(True)))
    if not active_admins:
        message = _("Er moet minstens één actieve beheerder blijven. Geef eerst een ander "
                    "de rol beheerder.")
        raise Conflict(message, [{"field": "roles", "messages": [message]}])


def get_user(user_id: int) -> User:
    """A user by id. Raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Gebruiker %(id)s bestaat niet.", id=user_id))
    return user


# --- sign-in and throttling -------------------------------------------------------------


def _recent_failures(column, value: str) -> int:
    since = utcnow() - timedelta(seconds=_setting("LOGIN_THROTTLE_WINDOW_SECONDS", 900))
    stmt = select(func.count(FailedLogin.id)).where(
        column == value, FailedLogin.attempted_at >= since
    )
    return db.session.scalar(stmt) or 0


def is_throttled(email: str, address: str) -> bool:
    """Whether the account or the client address had too many recent failures."""
    return _recent_failures(FailedLogin.email, normalise_email(email)) >= _setting(
        "LOGIN_MAX_FAILURES_PER_ACCOUNT", 5
    ) or _recent_failures(FailedLogin.address, address) >= _setting(
        "LOGIN_MAX_FAILURES_PER_ADDRESS", 20
    )


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user for these credentials, or None (the failure is recorded).

    Raises TooManyAttempts when throttled: then the password is not even checked, so
    guessing stays pointless while the window lasts.
    """
    email = normalise_email(email)
    if is_throttled(email, address):
        raise TooManyAttempts()
    user = db.session.scalar(select(User).filter_by(email=email))
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _unknown_account_hash(), password)
    valid = matches and stored is not None and user.active
    if not valid:
        db.session.add(FailedLogin(email=email[:254], address=address[:64]))
        db.session.flush()
        return None
    db.session.execute(delete(FailedLogin).where(FailedLogin.email == email))
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one. Raises ValidationFailed."""
    if not (user.password_hash and check_password_hash(user.password_hash, current)):
        raise ValidationFailed(
            _("Het huidige wachtwoord klopt niet."),
            [{"field": "current_password", "messages": [_("Het huidige wachtwoord klopt niet.")]}],
        )
    set_password(user, new)
    db.session.flush()


# --- API tokens -------------------------------------------------------------------------


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(user: User, name: str) -> NewToken:
    """Create an API token; the returned secret is the only time it is visible. Raises
    ValidationFailed for a blank name, or the name of an active token of the user (a
    double-clicked button would otherwise make a second token whose secret the page
    that shows the first never showed)."""
    name = name.strip()[:100]
    if not name:
        raise ValidationFailed(
            _("Geef het token een naam."), [{"field": "name", "messages": [_("Verplicht.")]}]
        )
    hold_row(User, user.id)  # two creations at once take turns
    if db.session.scalar(select(ApiToken.id).where(
            ApiToken.user_id == user.id, ApiToken.name == name, ApiToken.revoked_at.is_(None))):
        message = _("U heeft al een actief token met de naam '%(name)s'. Kies een andere "
                    "naam, of trek dat token in als u het geheim niet hebt bewaard.", name=name)
        raise ValidationFailed(message, [{"field": "name", "messages": [message]}])
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=secret[:12], token_hash=hash_token(secret)
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """create_token as a (token, secret) pair; the secret is shown once, never stored."""
    new = create_token(user, name)
    return new.token, new.secret


def own_token(user: User, token_id: int) -> ApiToken:
    """One of the user's tokens. Raises NotFound for someone else's (or no) token."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Dit token bestaat niet."))
    return token


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens. Raises NotFound for someone else's token."""
    token = own_token(user, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
    return token


def revoke_all_tokens(user: User) -> int:
    """Revoke every token of the user still in use; how many."""
    if user.id is None:  # a user being created has none
        return 0
    return db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch")).rowcount


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    token = db.session.scalar(select(ApiToken).filter_by(token_hash=hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    record_use(token)
    return token.user


TOKEN_USE_RESOLUTION = timedelta(hours=1)


def record_use(token: ApiToken) -> None:
    """Note that the token was used now, to the hour: at most one write per token an hour,
    kept whether the request reads or writes (its owner sees when it was last used)."""
    now = utcnow()
    last = as_utc(token.last_used_at)
    if last is None or now - last >= TOKEN_USE_RESOLUTION:
        token.last_used_at = now
        commit_this_get()


def tokens_of(user: User) -> list[ApiToken]:
    stmt = select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at.desc())
    return list(db.session.scalars(stmt))


def active_with_role(*roles: str) -> list[User]:
    """Every active user holding any of these roles, each once, by name."""
    stmt = (select(User).join(UserRole).where(UserRole.role.in_(roles), User.active)
            .distinct().order_by(User.name, User.id))
    return list(db.session.scalars(stmt))


def active_reviewers() -> list[User]:
    """Every active user with the reviewer role, by name (candidates for a panel)."""
    return active_with_role("reviewer")


def active_secretaries() -> list[User]:
    """Every active user with the secretary role (told of submissions and questions)."""
    return active_with_role("secretary")


def active_owners_of(intervention) -> list[User]:
    """The active owner accounts of the intervention's organisation."""
    if intervention.owner_organisation_id is None:
        return []
    stmt = (
        select(User).join(UserRole)
        .where(UserRole.role == "owner", User.active,
               User.organisation_id == intervention.owner_organisation_id)
        .order_by(User.id)
    )
    return list(db.session.scalars(stmt))


def names_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Users' names by id (those that exist)."""
    ids = list(user_ids)
    if not ids:
        return {}
    return {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def all_organisations() -> list[Organisation]:
    """Every organisation by name (for choices and filters)."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
