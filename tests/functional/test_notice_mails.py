"""The e-mails notices send, as a mail server and a mail client receive them: the headers
they need (Date, Message-ID, an unfolded List-Unsubscribe), a subject cut at a word, and
no mail or notice for a deactivated account."""

from __future__ import annotations

import email
import email.policy

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Notice
from registry.services import notices
from tests.unit.procedure.support import make_user


class RecordingSMTP:
    """Stands in for smtplib.SMTP: keeps the bytes a server would receive."""

    received: list[bytes] = []

    def __init__(self, host, port):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        RecordingSMTP.received.append(message.as_bytes())


@pytest.fixture
def server(app, monkeypatch):
    RecordingSMTP.received = []
    monkeypatch.setattr(notices.smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example")
    monkeypatch.setitem(app.config, "MAIL_FROM",
                        "Interventies naar Werk <noreply@registry.example>")
    return RecordingSMTP.received


def _received(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_a_mail_carries_the_date_and_a_message_id(app, server):
    with app.test_request_context():
        notices.send_text("klant@gemeente.example", "Onderwerp", "Tekst")
    mail = _received(server[0])
    assert mail["Date"] and mail["Message-ID"].endswith("@registry.example>")


def test_a_long_unsubscribe_header_stays_one_plain_url(app, server):
    url = "https://interventies.example.nl/profielen/afmelden/" + "x" * 120
    with app.test_request_context():
        notices.send_text("klant@gemeente.example", "Onderwerp", "Tekst",
                          {"List-Unsubscribe": f"<{url}>",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    assert f"List-Unsubscribe: <{url}>\r\n".encode() in server[0]


def test_a_subject_is_cut_at_a_word_not_in_the_middle_of_one():
    text = ("De erkenning van een interventie verloopt binnenkort. Start de herbeoordeling "
            "op tijd.")
    assert notices.subject_text(text) == "De erkenning van een interventie verloopt binnenkort"
    long = "Verklaar eerst of u belangen hebt bij de organisatie of interventie van de ronde"
    cut = notices.subject_text(long)
    assert cut.endswith("…") and long.startswith(cut[:-1]) and long[len(cut) - 1] == " "
    assert notices.cut_at_a_word("IPS. Werk en herstel") == "IPS. Werk en herstel"


def test_a_deactivated_account_gets_no_notice_and_no_mail(app, db_session, server):
    active, gone = make_user("secretary"), make_user("secretary")
    gone.active = False
    with app.test_request_context():
        notices.notify([active, gone], "test", "Er is iets te doen.", "/mijn/")
        db.session.commit()
    told = db.session.scalars(select(Notice.user_id)).all()
    assert told == [active.id]
    assert [_received(raw)["To"] for raw in server] == [active.email]
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 1


def test_notices_and_their_mails_name_the_intervention(app, db_session, server, client):
    from tests.unit.procedure.support import drive, login, make_cast

    cast = make_cast()
    round_ = drive(cast, "submitted")
    db.session.commit()
    title = round_.version.title
    assert db.session.scalars(select(Notice.about).where(
        Notice.user_id == cast.secretary.id)).all() == [title]
    (mail,) = [_received(raw) for raw in server
               if _received(raw)["To"] == cast.secretary.email]
    assert f"Het gaat om: {title}" in mail.get_content() and title in mail["Subject"]
    login(client, cast.secretary)
    assert f"– <span>{title}</span>" in client.get("/mijn/").get_data(as_text=True)
