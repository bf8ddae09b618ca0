"""Accounts: sign-in, throttling, passwords, CSRF, session cookies, the users CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

import config
from registry.extensions import db
from registry.models import AuditEvent, FailedLogin, User
from tests.conftest import make_test_app
from tests.unit.procedure.support import (
    PASSWORD,
    login,
    make_user,
    scrypt_password_hash,
)


@pytest.fixture
def user():
    user = make_user("professional")
    db.session.commit()
    return user


def test_sign_in_redirects_and_the_dashboard_opens(client, user):
    login(client, user)
    assert client.get("/mijn/").status_code == 200


def test_wrong_password_is_refused_and_recorded(client, user):
    response = login(client, user, "verkeerd-wachtwoord")
    count = db.session.scalar(select(db.func.count(FailedLogin.id)))
    assert (response.status_code, count) == (401, 1)


def test_too_many_failures_on_an_account_block_even_the_right_password(client, user, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, user, "verkeerd-wachtwoord")
    assert login(client, user).status_code == 429


def test_too_many_failures_from_one_address_are_throttled(client, user, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    for n in range(3):
        client.post("/inloggen", data={"email": f"iemand{n}@example.org", "password": "x"})
    assert login(client, user).status_code == 429


def test_failures_outside_the_window_do_not_count(client, user, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_THROTTLE_WINDOW_SECONDS", 0)
    for _ in range(6):
        login(client, user, "verkeerd-wachtwoord")
    assert login(client, user).status_code == 302


def test_sign_out_ends_the_session(client, user):
    login(client, user)
    client.post("/uitloggen")
    assert client.get("/mijn/").status_code == 302


def _copy_of_session(app, client):
    """Another browser holding a copy of this client's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_sign_out_ends_a_copied_session_cookie_too(app, client, user):
    login(client, user)
    copy = _copy_of_session(app, client)
    assert copy.get("/mijn/").status_code == 200

    client.post("/uitloggen")

    assert copy.get("/mijn/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, user):
    login(client, user)
    other = _copy_of_session(app, client)

    new = "een-heel-nieuw-wachtwoord-42"
    response = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": new, "repeat_password": new})

    assert response.status_code == 302
    assert (client.get("/mijn/").status_code, other.get("/mijn/").status_code) == (200, 302)


@pytest.mark.parametrize("forged", ["1", "x:1", "99999999999999999999:1", "1:999", ":"])
def test_a_forged_session_id_is_no_user(app, client, user, forged):
    with client.session_transaction() as session:
        session["_user_id"] = forged
    assert client.get("/mijn/").status_code == 302


@pytest.mark.parametrize("known", [True, False])
def test_sign_in_does_the_same_password_work_for_unknown_accounts(client, user, monkeypatch,
                                                                  known):
    from registry.services import accounts

    checks = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda stored, given: checks.append(stored[:6]) or real(stored, given))
    user.password_hash = scrypt_password_hash()  # as the app stores it
    db.session.commit()
    email = user.email if known else "niemand@example.org"

    client.post("/inloggen", data={"email": email, "password": "verkeerd-wachtwoord"})

    assert checks == ["scrypt"]


def test_session_cookie_is_http_only_and_same_site(client, user):
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_session_cookie_is_secure():
    assert (config.Config.ENV_NAME == "production") == config.Config.SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    ("new", "status"),
    [
        ("kort", 422),
        ("wachtwoord123", 422),
        ("Password123", 422),
        ("een-nieuw-lang-wachtwoord", 302),
    ],
)
def test_password_change_refuses_short_and_common_passwords(client, user, new, status):
    login(client, user)
    response = client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": new, "repeat_password": new})
    assert response.status_code == status


def test_password_change_needs_the_current_password(client, user):
    login(client, user)
    new = "een-nieuw-lang-wachtwoord"
    response = client.post("/account/wachtwoord", data={
        "current_password": "fout", "new_password": new, "repeat_password": new})
    assert response.status_code == 422


def test_passwords_are_stored_with_scrypt(client, user):
    login(client, user)
    new = "een-nieuw-lang-wachtwoord"
    client.post("/account/wachtwoord", data={
        "current_password": PASSWORD, "new_password": new, "repeat_password": new})
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("scrypt:") and check_password_hash(stored, new)


def test_a_form_post_without_csrf_token_is_refused(database_url, tmp_path, user):
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client().post(
        "/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_cli_creates_a_user_with_several_roles(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "users", "create", "--email", "Secretaris@Example.org", "--role", "secretary",
        "--role", "reviewer", "--password", "een-lang-cli-wachtwoord"])
    user = db.session.scalar(select(User).filter_by(email="secretaris@example.org"))
    assert result.exit_code == 0, result.output
    assert user.roles == {"secretary", "reviewer"}


def test_cli_activates_and_deactivates_a_user(app):
    user = make_user("admin", email="beheer@example.org")
    db.session.commit()
    runner = app.test_cli_runner()
    off = runner.invoke(args=["users", "activate", "--email", "beheer@example.org", "--off"])
    on = runner.invoke(args=["users", "activate", "--email", "beheer@example.org"])
    db.session.refresh(user)
    assert (off.output.strip(), on.output.strip(), user.active) == (
        "beheer@example.org: geblokkeerd", "beheer@example.org: actief", True)


def test_cli_activate_names_an_unknown_account(app):
    result = app.test_cli_runner().invoke(args=["users", "activate", "--email", "niemand@x.nl"])
    assert result.exit_code != 0 and "Geen gebruiker met e-mailadres niemand@x.nl" in result.output


def test_cli_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "x@example.org", "--password", "wachtwoord123"])
    assert result.exit_code != 0 and "algemeen" in result.output


def test_admin_creates_a_user_through_the_form(client):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw@example.org", "name": "Nieuw", "password": "een-lang-beheer-wachtwoord",
        "roles": ["owner", "reviewer"]})
    created = db.session.scalar(select(User).filter_by(email="nieuw@example.org"))
    assert response.status_code == 302 and created.roles == {"owner", "reviewer"}


def test_role_changes_are_audited(client):
    admin, other = make_user("admin"), make_user("professional")
    db.session.commit()
    login(client, admin)
    client.post(f"/beheer/gebruikers/{other.id}", data={"roles": ["reviewer"], "active": "true"})
    event = db.session.scalars(select(AuditEvent).filter_by(action="set_roles")).one()
    assert (event.actor_id, event.entity_id, event.after) == (
        admin.id, other.id, {"roles": ["reviewer"]})


@pytest.mark.parametrize("change", [{"roles": ["reviewer"], "active": "true"},
                                    {"roles": ["admin"]}])  # unchecked: inactive
def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(client, change):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    response = client.post(f"/beheer/gebruikers/{admin.id}", data=change)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "minstens één actieve beheerder" in page
    if "active" in change:  # the roles are what must change: the message is at them
        assert '<a href="#role-' in page and 'aria-describedby="roles-fouten"' in page
        assert 'id="roles-fouten"' in page
    db.session.expire_all()
    assert admin.active and admin.has_role("admin")


def test_an_e_mail_address_taken_is_shown_at_its_field(client):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "email": admin.email, "name": "Dubbel", "password": "een-lang-beheer-wachtwoord",
        "roles": ["owner"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and '<a href="#email">' in page
    assert 'id="email-fouten"' in page and 'aria-invalid="true"' in page


def test_a_blank_token_name_is_tied_to_its_field(client):
    login(client, make_user("researcher"))
    db.session.commit()
    page = client.post("/account/tokens", data={"name": "   "}).get_data(as_text=True)
    assert 'id="name-fouten"' in page
    assert 'aria-describedby="name-fouten" aria-invalid="true"' in page


def test_deactivating_a_user_is_audited(client):
    admin, other = make_user("admin"), make_user("professional")
    db.session.commit()
    login(client, admin)
    client.post(f"/beheer/gebruikers/{other.id}", data={"roles": ["professional"]})
    event = db.session.scalars(select(AuditEvent).filter_by(action="set_active")).one()
    assert (event.actor_id, event.entity_id, event.after) == (admin.id, other.id,
                                                              {"active": False})


def test_an_unknown_organisation_shows_the_form_again_with_the_error(client):
    admin, other = make_user("admin"), make_user("professional")
    db.session.commit()
    login(client, admin)
    response = client.post(f"/beheer/gebruikers/{other.id}", data={
        "roles": ["professional"], "active": "true", "organisation_id": "999999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#organisation_id"' in page
    assert 'organisation_id-fouten" aria-invalid="true"' in page


def test_revoking_a_token_asks_first(client, user):
    from registry.models import ApiToken
    from registry.services.accounts import create_token

    new = create_token(user, "Koppeling met Excel")
    db.session.commit()
    login(client, user)

    page = client.get(f"/account/tokens/{new.token.id}/intrekken").get_data(as_text=True)

    assert "Koppeling met Excel" in page and new.token.prefix in page
    assert db.session.get(ApiToken, new.token.id).revoked_at is None
    client.post(f"/account/tokens/{new.token.id}/intrekken")
    assert db.session.get(ApiToken, new.token.id).revoked_at is not None


def test_another_users_token_cannot_be_opened_for_revoking(client, user):
    from registry.services.accounts import create_token

    other = make_user("researcher")
    new = create_token(other, "Niet van u")
    db.session.commit()
    login(client, user)
    assert client.get(f"/account/tokens/{new.token.id}/intrekken").status_code == 404


def test_a_refused_password_change_sums_up_its_errors_by_label(client, user):
    login(client, user)
    response = client.post("/account/wachtwoord", data={
        "current_password": "fout-wachtwoord-123", "new_password": "kort",
        "repeat_password": "anders"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="error-summary"' in page
    assert 'href="#repeat_password">Herhaal het nieuwe wachtwoord' in page


def test_a_refused_new_user_keeps_the_chosen_roles(client):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    response = client.post("/beheer/gebruikers/nieuw", data={
        "email": "geen-adres", "name": "X", "password": "een-lang-beheer-wachtwoord",
        "roles": ["reviewer"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="reviewer" checked' in page and 'href="#email">E-mailadres' in page
    # The message beside the field too, and the field says it is invalid and where why.
    assert 'id="email-fouten"' in page
    assert 'aria-describedby="email-fouten" aria-invalid="true"' in page
