"""The weekly e-mail of what is new or re-rated for a user's saved profiles: opt in and
out, a signed unsubscribe link that works without signing in, and the sending, safe to
run on several hosts at once: each user's digest is claimed with one conditional UPDATE
(the database's row lock decides), committed before anything is sent. The news starts
where the last delivered digest ended (`covered_until`), not at the claim: a sending
that fails releases its claim for the next run, and one that died after its claim is
taken again a week later, from the same start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update

from registry.extensions import db
from registry.models import Intervention, ProfileDigest, User
from registry.models.base import as_utc
from registry.row_locks import hold_row
from registry.services.saved_profiles import changed_since

INTERVAL = timedelta(days=7) - timedelta(hours=12)  # a daily timer sends about weekly
_SALT = "profile-digest-unsubscribe"

# What the search gives for a saved profile's query: the ids of its best results.
Matcher = Callable[[dict], list[int]]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _stamp(moment: datetime) -> int:
    return int(as_utc(moment).timestamp())


def unsubscribe_token(digest: ProfileDigest) -> str:
    """A signed token naming the user and the opt-in, for the link in every digest: it
    ends that opt-in only (after opting out and in again, old links do nothing)."""
    return _serializer().dumps([digest.user_id, _stamp(digest.subscribed_at)])


# Tokens name the opt-in since this moment; a link signed before names the user alone.
OPT_IN_TOKENS_SINCE = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def user_of_token(token: str) -> int | None:
    """The user id a token names, or None when it is not one we signed or its opt-in
    has been replaced by a later one. Links signed before opt-ins were named (the user
    id alone) still end an opt-in made before then, so no unsubscribe link in a sent
    e-mail stops working; an opt-in made since is not theirs to end."""
    try:
        found = _serializer().loads(token)
    except BadSignature:
        return None
    if isinstance(found, int) and not isinstance(found, bool):
        digest = db.session.get(ProfileDigest, found)
        began = as_utc(digest.subscribed_at) if digest else None
        return found if began is None or began < OPT_IN_TOKENS_SINCE else None
    if not (isinstance(found, list) and len(found) == 2
            and all(isinstance(part, int) and not isinstance(part, bool) for part in found)):
        return None
    user_id, stamp = found
    digest = db.session.get(ProfileDigest, user_id)
    return user_id if digest is None or _stamp(digest.subscribed_at) == stamp else None


def is_subscribed(user) -> bool:
    return db.session.get(ProfileDigest, user.id) is not None


def subscribe(user) -> None:
    hold_row(User, user.id)  # a double-clicked opt-in: the second finds the first's row
    if not is_subscribed(user):
        db.session.add(ProfileDigest(user_id=user.id))
        db.session.flush()


def unsubscribe(user_id: int) -> None:
    digest = db.session.get(ProfileDigest, user_id)
    if digest is not None:
        db.session.delete(digest)
        db.session.flush()


def due(now: datetime) -> list[int]:
    """The users whose digest is due."""
    return list(db.session.scalars(select(ProfileDigest.user_id).where(or_(
        ProfileDigest.last_sent_at.is_(None), ProfileDigest.last_sent_at <= now - INTERVAL))
        .order_by(ProfileDigest.user_id)))


@dataclass(frozen=True)
class Claim:
    user_id: int
    moment: datetime  # this run's
    since: datetime  # where the news starts: the end of the last delivered digest
    previous: datetime | None  # the claim before this one, restored by release()


def claim(user_id: int, now: datetime) -> Claim | None:
    """Take this user's digest for this run, or None when another run took it first."""
    digest = db.session.get(ProfileDigest, user_id)
    if digest is None:
        return None
    since = digest.covered_until or digest.subscribed_at
    claimed = db.session.execute(
        update(ProfileDigest).where(ProfileDigest.user_id == user_id, or_(
            ProfileDigest.last_sent_at.is_(None), ProfileDigest.last_sent_at <= now - INTERVAL))
        .values(last_sent_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return None
    previous = as_utc(digest.last_sent_at) if digest.last_sent_at else None
    return Claim(user_id, now, as_utc(since), previous)


def _this_claim(taken: Claim):
    return update(ProfileDigest).where(
        ProfileDigest.user_id == taken.user_id, ProfileDigest.last_sent_at == taken.moment
    ).execution_options(synchronize_session=False)


def delivered(taken: Claim) -> None:
    """The digest went out (or there was nothing new): the next one starts here."""
    db.session.execute(_this_claim(taken).values(covered_until=taken.moment))


def release(taken: Claim) -> None:
    """The digest could not be made or sent: the next run may take it again, from the
    same start."""
    db.session.execute(_this_claim(taken).values(last_sent_at=taken.previous))


def digest_of(user: User, since: datetime, matcher: Matcher) -> list[tuple[str, list]]:
    """Per saved profile with news: (label, [(intervention, "new" or "rated")])."""
    found = []
    for profile in user.saved_profiles:
        changed = changed_since(matcher(profile.query), since)
        if changed:
            interventions = db.session.scalars(
                select(Intervention).where(Intervention.id.in_(list(changed))))
            found.append((profile.label, sorted(((i, changed[i.id]) for i in interventions),
                                                key=lambda pair: pair[0].title)))
    return found


def digest_mail(user: User, since: datetime, news: list[tuple[str, list]]) -> tuple:
    """(subject, body, headers) of one user's digest, in the registry's default language,
    with the unsubscribe link in the body and as List-Unsubscribe (one click)."""
    config = current_app.config
    site = config["SITE_URL"]
    digest = db.session.get(ProfileDigest, user.id)
    unsubscribe_url = f"{site}/profielen/afmelden/{unsubscribe_token(digest)}"
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Interventies naar Werk: nieuw voor uw bewaarde profielen")
        # The day in the registry's time zone (23:30 UTC on 30 November is 1 December).
        lines = [_("Nieuw of opnieuw beoordeeld sinds %(day)s, voor uw bewaarde profielen:",
                   day=to_user_timezone(since).strftime("%d-%m-%Y")), ""]
        for label, items in news:
            lines.append(label)
            lines += [f"- {i.title} ({_('nieuw') if kind == 'new' else _('opnieuw beoordeeld')})"
                      f": {site}/interventies/{i.slug}" for i, kind in items]
            lines.append("")
        lines.append(_("Geen e-mail meer ontvangen? Meld u af: %(url)s", url=unsubscribe_url))
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return subject, "\n".join(lines), headers
