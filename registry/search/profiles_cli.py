"""flask profiles digest: the weekly e-mail of what is new for saved profiles.

Run it from a daily timer on every host: a digest is due about weekly per user, and
each is claimed in the database before it is sent, so hosts running it at once send
each digest once. A digest that cannot be sent (the mail server refuses, the search
index is unavailable) is logged and released: the next run tries again, and its news
starts where the last delivered digest ended, so nothing new is skipped. A user who no
longer has the professional role gets none.
"""

from __future__ import annotations

import smtplib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from registry import permissions as perm
from registry.extensions import db
from registry.models import User
from registry.models.base import utcnow
from registry.search.service import saved_profile_ids
from registry.services import profile_digest
from registry.services.notices import mail_failure, send_text
from registry.unit_of_work import commit
from search_index.storage import IndexUnavailable

profiles_cli = AppGroup("profiles", help="Saved client profiles.")


def matching_ids(query: dict) -> list[int]:
    return saved_profile_ids(Path(current_app.config["INDEX_DIR"]), query)


def _send(user: User, taken: profile_digest.Claim) -> bool:
    """Make and send one user's digest; whether one was sent. Raises IndexUnavailable,
    OSError or SMTPException."""
    news = profile_digest.digest_of(user, taken.since, matching_ids)
    if news:
        send_text(user.email, *profile_digest.digest_mail(user, taken.since, news))
    return bool(news)


@profiles_cli.command("digest")
def digest_command() -> None:
    """Send the due weekly digests of saved profiles."""
    moment, sent = utcnow(), 0
    for user_id in profile_digest.due(moment):
        user = db.session.get(User, user_id)
        if user is None or not user.active or not perm.can_save_profiles(user):
            continue
        taken = profile_digest.claim(user_id, moment)
        commit()  # the claim is final before anything is sent
        if taken is None:
            continue
        try:
            sent += _send(user, taken)
        except IndexUnavailable:
            profile_digest.release(taken)
            commit()
            message = "The search index is unavailable; the digests wait for the next run."
            raise click.ClickException(message) from None
        except (OSError, smtplib.SMTPException) as error:
            current_app.logger.warning("A profile digest could not be sent: %s",
                                       mail_failure(error))
            profile_digest.release(taken)
        else:
            profile_digest.delivered(taken)
        commit()
    click.echo(f"{sent} digests sent")
