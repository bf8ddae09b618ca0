"""In-app notices and e-mail on assignment, return and decision.

Notices are rows written in the transaction; e-mails wait in session.info and go out
only after commit (a rolled-back action sends nothing). Without REGISTRY MAIL_SERVER
setting the e-mail is written to the log. Messages never quote assessments (blinding).
"""

from __future__ import annotations

import email.policy
import email.utils
import smtplib
from email.message import EmailMessage

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from registry.extensions import db
from registry.models import Notice
from registry.models.base import utcnow

_OUTBOX = "registry_outbox"


def notify(users, kind: str, message: str, link: str | None = None,
           about: str | None = None) -> None:
    """Add a notice for each active user and queue an e-mail for after commit (a
    deactivated account is told nothing: its owner can no longer sign in to act on it).

    `message` is the Dutch source text, marked with N_(); it is stored as such and
    translated where it is shown (the dashboard) or sent (e-mail). `about` names what it
    is about as written (an intervention's title), shown beside it and in the e-mail."""
    about = about[:300] if about else None
    for user in users:
        if not getattr(user, "active", True):
            continue
        db.session.add(Notice(user_id=user.id, kind=kind, message=message, link=link,
                              about=about))
        db.session.info.setdefault(_OUTBOX, []).append((user.email, message, link, about))
    db.session.flush()


def unread_notices(user) -> list[Notice]:
    stmt = (
        select(Notice)
        .filter_by(user_id=user.id, read_at=None)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )
    return list(db.session.scalars(stmt))


def mark_read(user, notice_id: int) -> None:
    """Mark one of the user's notices as read (someone else's is ignored)."""
    notice = db.session.get(Notice, notice_id)
    if notice is not None and notice.user_id == user.id and notice.read_at is None:
        notice.read_at = utcnow()
        db.session.flush()


def mail_failure(error: BaseException) -> str:
    """A failed sending as the log may show it: the error's kind and the server's codes,
    never an address (an SMTPRecipientsRefused names every refused recipient, an
    SMTPSenderRefused the sender)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in error.recipients.values()})
        return f"SMTPRecipientsRefused {codes}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    errno = getattr(error, "errno", None)
    return type(error).__name__ + (f" (errno {errno})" if errno else "")


def send_email(to: str, message: str, link: str | None, about: str | None = None) -> None:
    config = current_app.config
    # We do not know the recipient's language; e-mail speaks the registry's default.
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        text = _(message)
        subject = _("Interventies naar Werk: %(message)s", message=subject_text(text))
        if about:
            subject = f"{subject} ({cut_at_a_word(about)})"
            text += "\n\n" + _("Het gaat om: %(about)s", about=about)
    body = text + (f"\n\n{config['SITE_URL']}{link}" if link else "")
    send_text(to, subject, body)


SUBJECT_CHARS = 60


def subject_text(text: str) -> str:
    """The notice's text as a subject: its first sentence, cut_at_a_word."""
    return cut_at_a_word(text.split(". ", 1)[0].rstrip("."))


def cut_at_a_word(text: str) -> str:
    """The text, or when longer than SUBJECT_CHARS its start cut at a word, with an
    ellipsis."""
    if len(text) <= SUBJECT_CHARS:
        return text
    return text[:SUBJECT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# Headers as SMTP wants them, lines up to 998 characters: the default policy folds a
# header past 78 into encoded words, which breaks a List-Unsubscribe <URL> (RFC 2369).
_POLICY = email.policy.SMTP.clone(max_line_length=998)


def send_text(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text e-mail (or log it without MAIL_SERVER). Raises OSError or
    smtplib.SMTPException when the server fails."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        # Logs carry no e-mail addresses (docs/deploy.md): the message, not the recipient.
        current_app.logger.info("E-mail not sent (no MAIL_SERVER): %s\n%s", subject, body)
        return
    mail = EmailMessage(policy=_POLICY)
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = email.utils.formatdate(localtime=True)
    mail["Message-ID"] = email.utils.make_msgid(domain=_domain(config["MAIL_FROM"]))
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(mail)


def _domain(sender: str) -> str | None:
    address = email.utils.parseaddr(sender)[1]
    return address.rpartition("@")[2] or None


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    outbox = session.info.pop(_OUTBOX, [])
    if not outbox or not has_app_context():
        return
    for to, message, link, about in outbox:
        try:
            send_email(to, message, link, about)
        except (OSError, smtplib.SMTPException) as error:
            # The action is committed; a mail failure must not undo it. The notice stays.
            current_app.logger.warning("Could not send an e-mail notice: %s",
                                       mail_failure(error))


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction) -> None:
    session.info.pop(_OUTBOX, None)
