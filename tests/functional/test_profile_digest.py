"""The weekly digest of saved profiles: opting in and out, one e-mail with what is new
and a one-click unsubscribe link, nothing twice within the week, each digest claimed
once however many hosts run the command, no news lost when a sending fails or a run
dies, none for a user who lost the professional role, and the signed link without
signing in, bound to the opt-in it came with."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import ProfileDigest, SavedProfile
from registry.models.base import utcnow
from registry.search import sync
from registry.services import accounts, notices, profile_digest
from registry.services.profile_digest import _serializer
from search_index import searchers
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user


@pytest.fixture
def mailbox(monkeypatch):
    sent = []
    monkeypatch.setattr(notices, "send_text", lambda *args: sent.append(args))
    monkeypatch.setattr("registry.search.profiles_cli.send_text",
                        lambda *args: sent.append(args))
    return sent


@pytest.fixture
def subscriber(app, db_session, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    user = make_user("professional")
    db.session.add(SavedProfile(user_id=user.id, label="Schulden", query={"barrier": ["debt"]}))
    db.session.add(ProfileDigest(user_id=user.id, subscribed_at=utcnow() - timedelta(days=3)))
    fresh = make_intervention(title="Schuldhulp nieuw", tags={"barrier": ["debt"]})
    fresh.published_version.published_at = utcnow() - timedelta(days=1)
    old = make_intervention(title="Schuldhulp oud", tags={"barrier": ["debt"]})
    old.published_version.published_at = utcnow() - timedelta(days=60)
    db.session.commit()
    sync.rebuild(db_session.connection(), root)
    yield user
    searchers.release_all()


def run(app):
    """The digest command; read its .stdout: a log warning may go to stderr, which
    .output mixes in."""
    return app.test_cli_runner().invoke(args=["profiles", "digest"])


def token_of(user) -> str:
    return profile_digest.unsubscribe_token(db.session.get(ProfileDigest, user.id))


def a_week_later(monkeypatch):
    later = utcnow() + timedelta(days=7)
    monkeypatch.setattr("registry.search.profiles_cli.utcnow", lambda: later)


def test_a_due_digest_lists_what_is_new_with_an_unsubscribe_link(app, subscriber, mailbox):
    result = run(app)
    assert (result.exit_code, result.output.strip()) == (0, "1 digests sent")
    (to, subject, body, headers), = mailbox
    assert to == subscriber.email and "Schuldhulp nieuw" in body and "Schuldhulp oud" not in body
    assert "/profielen/afmelden/" in body
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_is_sent_twice_within_the_week(app, subscriber, mailbox):
    run(app)
    assert run(app).stdout.strip() == "0 digests sent" and len(mailbox) == 1


def test_a_digest_claimed_by_another_run_is_not_sent_again(app, subscriber):
    moment = utcnow()
    first = profile_digest.claim(subscriber.id, moment)
    second = profile_digest.claim(subscriber.id, moment)
    assert (first is not None, second) == (True, None)


def test_the_signed_link_unsubscribes_without_signing_in(client, subscriber):
    token = token_of(subscriber)
    assert "Afmelden" in client.get(f"/profielen/afmelden/{token}").get_data(as_text=True)
    assert client.post(f"/profielen/afmelden/{token}").status_code == 200
    assert db.session.get(ProfileDigest, subscriber.id) is None


def test_a_forged_link_is_not_found(client, subscriber):
    forged = token_of(subscriber)[:-2] + "xx"
    assert client.post(f"/profielen/afmelden/{forged}").status_code == 404
    assert db.session.get(ProfileDigest, subscriber.id) is not None


def test_opting_in_and_out_on_the_profiles_page(client, db_session):
    user = make_user("professional")
    db.session.commit()
    login(client, user)
    client.post("/mijn/profielen/melding", data={"aan": "1"})
    subscribed = db.session.scalars(select(ProfileDigest.user_id)).all()
    client.post("/mijn/profielen/melding", data={"aan": "0"})
    assert (subscribed, db.session.scalars(select(ProfileDigest)).all()) == ([user.id], [])


def test_a_failed_sending_is_tried_again_with_its_news(app, subscriber, mailbox, monkeypatch):
    def refused(*args):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("registry.search.profiles_cli.send_text", refused)
    assert run(app).stdout.strip() == "0 digests sent"
    monkeypatch.setattr("registry.search.profiles_cli.send_text",
                        lambda *args: mailbox.append(args))
    assert run(app).stdout.strip() == "1 digests sent"
    assert "Schuldhulp nieuw" in mailbox[0][2]


def test_a_run_that_died_after_its_claim_loses_no_news(app, subscriber, mailbox, monkeypatch):
    profile_digest.claim(subscriber.id, utcnow())  # claimed, then killed before sending
    db.session.commit()
    assert run(app).stdout.strip() == "0 digests sent"  # claimed: not again this week
    a_week_later(monkeypatch)
    assert run(app).stdout.strip() == "1 digests sent"
    assert "Schuldhulp nieuw" in mailbox[0][2]


def test_a_delivered_digest_is_where_the_next_one_starts(app, subscriber, mailbox, monkeypatch):
    run(app)
    a_week_later(monkeypatch)
    assert run(app).stdout.strip() == "0 digests sent"  # nothing new since the first


def test_an_unavailable_index_releases_the_claim(app, subscriber, mailbox, tmp_path,
                                                  monkeypatch):
    monkeypatch.setitem(app.config, "INDEX_DIR", str(tmp_path / "not-built"))
    result = run(app)
    assert result.exit_code == 1 and "unavailable" in result.output and mailbox == []
    db.session.expire_all()
    assert db.session.get(ProfileDigest, subscriber.id).last_sent_at is None


def test_no_digest_after_the_professional_role_is_revoked(app, subscriber, mailbox):
    accounts.set_roles(subscriber, ["owner"])
    db.session.commit()
    assert run(app).stdout.strip() == "0 digests sent" and mailbox == []


def test_an_old_link_does_nothing_after_opting_out_and_in_again(client, subscriber):
    old = token_of(subscriber)
    client.post(f"/profielen/afmelden/{old}")
    db.session.add(ProfileDigest(user_id=subscriber.id, subscribed_at=utcnow()))
    db.session.commit()
    assert client.post(f"/profielen/afmelden/{old}").status_code == 404
    assert db.session.get(ProfileDigest, subscriber.id) is not None


def test_a_link_sent_before_links_named_the_opt_in_still_works(client, subscriber):
    opt_in = db.session.get(ProfileDigest, subscriber.id)
    opt_in.subscribed_at = profile_digest.OPT_IN_TOKENS_SINCE - timedelta(days=30)
    db.session.commit()
    legacy = _serializer().dumps(subscriber.id)
    assert client.post(f"/profielen/afmelden/{legacy}").status_code == 200
    assert db.session.get(ProfileDigest, subscriber.id) is None


def test_a_link_sent_before_links_named_the_opt_in_cannot_end_a_later_one(client, subscriber):
    opt_in = db.session.get(ProfileDigest, subscriber.id)
    opt_in.subscribed_at = profile_digest.OPT_IN_TOKENS_SINCE + timedelta(days=1)
    db.session.commit()
    legacy = _serializer().dumps(subscriber.id)
    assert client.post(f"/profielen/afmelden/{legacy}").status_code == 404
    assert db.session.get(ProfileDigest, subscriber.id) is not None


def test_the_digest_says_since_when_in_the_registrys_time_zone(app, subscriber):
    from datetime import UTC, datetime

    with app.test_request_context():
        _subject, body, _headers = profile_digest.digest_mail(
            subscriber, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), [])
    assert "sinds 01-12-2026" in body
