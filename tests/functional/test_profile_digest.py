"""The weekly digest of saved profiles: opting in and out, one e-mail with what is new
and a one-click unsubscribe link, nothing twice within the week, each digest claimed
once however many hosts run the command, and the signed link without signing in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import ProfileDigest, SavedProfile
from registry.models.base import utcnow
from registry.search import sync
from registry.services import notices, profile_digest
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
    return app.test_cli_runner().invoke(args=["profiles", "digest"])


def test_a_due_digest_lists_what_is_new_with_an_unsubscribe_link(app, subscriber, mailbox):
    result = run(app)
    assert (result.exit_code, result.output.strip()) == (0, "1 digests sent")
    (to, subject, body, headers), = mailbox
    assert to == subscriber.email and "Schuldhulp nieuw" in body and "Schuldhulp oud" not in body
    assert "/profielen/afmelden/" in body
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_is_sent_twice_within_the_week(app, subscriber, mailbox):
    run(app)
    assert run(app).output.strip() == "0 digests sent" and len(mailbox) == 1


def test_a_digest_claimed_by_another_run_is_not_sent_again(app, subscriber):
    moment = utcnow()
    first = profile_digest.claim(subscriber.id, moment)
    second = profile_digest.claim(subscriber.id, moment)
    assert (first is not None, second) == (True, None)


def test_the_signed_link_unsubscribes_without_signing_in(client, subscriber):
    token = profile_digest.unsubscribe_token(subscriber.id)
    assert "Afmelden" in client.get(f"/profielen/afmelden/{token}").get_data(as_text=True)
    assert client.post(f"/profielen/afmelden/{token}").status_code == 200
    assert db.session.get(ProfileDigest, subscriber.id) is None


def test_a_forged_link_is_not_found(client, subscriber):
    forged = profile_digest.unsubscribe_token(subscriber.id)[:-2] + "xx"
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
