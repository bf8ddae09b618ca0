"""flask profiles digest: the weekly e-mail of what is new for saved profiles.

Run it from a daily timer on every host: a digest is due about weekly per user, and
each is claimed in the database before it is sent, so hosts running it at once send
each digest once. A failed sending is logged; that user's digest waits for next week.
"""

from __future__ import annotations

import smtplib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from registry.extensions import db
from registry.models import User
from registry.models.base import utcnow
from registry.search.service import saved_profile_ids
from registry.services import profile_digest
from registry.services.notices import send_text
from registry.unit_of_work import commit

profiles_cli = AppGroup("profiles", help="Saved client profiles.")


def matching_ids(query: dict) -> list[int]:
    return saved_profile_ids(Path(current_app.config["INDEX_DIR"]), query)


@profiles_cli.command("digest")
def digest_command() -> None:
    """Send the due weekly digests of saved profiles."""
    moment, sent = utcnow(), 0
    for user_id in profile_digest.due(moment):
        since = profile_digest.claim(user_id, moment)
        commit()  # the claim is final before anything is sent
        user = db.session.get(User, user_id)
        if since is None or user is None or not user.active:
            continue
        news = profile_digest.digest_of(user, since, matching_ids)
        if not news:
            continue
        try:
            send_text(user.email, *profile_digest.digest_mail(user, since, news))
            sent += 1
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("A profile digest could not be sent")
    click.echo(f"{sent} digests sent")
