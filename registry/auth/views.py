"""Sign in and out, change password, manage personal API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from registry.auth import bp
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.local_paths import local_path
from registry.schemas.accounts import LoginSchema, PasswordChangeSchema, TokenCreateSchema
from registry.services import accounts


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("account/login.html", next=request.args.get("next", ""))
    try:
        data = load(LoginSchema(), form_data())
    except ValidationFailed as error:
        return _login_refused(_("Vul uw e-mailadres en wachtwoord in."), 422, error)
    try:
        user = accounts.authenticate(data["email"], data["password"], _client_address())
    except accounts.TooManyAttempts:
        return _login_refused(
            _("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."), 429
        )
    db.session.commit()  # the failed attempt must count even though sign-in fails
    if user is None:
        return _login_refused(_("Het e-mailadres of wachtwoord klopt niet."), 401)
    session.clear()  # a fresh session on sign-in: no fixation of an old one
    login_user(user)
    # Without a page of this site to return to, a signed-in user's work starts at /mijn/.
    return redirect(local_path(data.get("next")) or url_for("dashboard.index"))


def _login_refused(message: str, status: int, error: ValidationFailed | None = None):
    errors = errors_by_field(error) if error else {}
    page = render_template(
        "account/login.html",
        message=message,
        errors=errors,
        email=request.form.get("email", ""),
        next=request.form.get("next", ""),
    )
    return page, status


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)  # on every device, also copied cookies
    logout_user()
    session.clear()
    return redirect(url_for("pages.home"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    if request.method == "GET":
        return render_template("account/password.html", errors={})
    try:
        data = load(PasswordChangeSchema(), form_data())
        accounts.change_password(current_user, data["current_password"], data["new_password"])
    except ValidationFailed as error:
        db.session.rollback()
        return render_template("account/password.html", errors=errors_by_field(error)), 422
    login_user(current_user._get_current_object())  # this device stays signed in
    flash(_("Uw wachtwoord is gewijzigd. Andere apparaten zijn afgemeld en uw API-tokens "
            "zijn ingetrokken."))
    return redirect(url_for("dashboard.index"))


@bp.get("/account/tokens")
@login_required
def tokens():
    return render_template("account/tokens.html", tokens=accounts.tokens_of(current_user))


@bp.post("/account/tokens")
@login_required
def create_token():
    try:
        data = load(TokenCreateSchema(), form_data())
        new = accounts.create_token(current_user, data["name"])
    except ValidationFailed as error:
        page = render_template(
            "account/tokens.html",
            tokens=accounts.tokens_of(current_user),
            errors=errors_by_field(error),
        )
        return page, 422
    # Shown in this response only: the secret is not stored and cannot be shown again.
    page = render_template(
        "account/tokens.html", tokens=accounts.tokens_of(current_user), new_secret=new.secret
    )
    return page, 201


@bp.get("/account/tokens/<int:token_id>/intrekken")
@login_required
def confirm_revoke_token(token_id: int):
    token = accounts.own_token(current_user, token_id)
    return render_template("account/token_revoke.html", token=token)


@bp.post("/account/tokens/<int:token_id>/intrekken")
@login_required
def revoke_token(token_id: int):
    accounts.revoke_token(current_user, token_id)
    flash(_("Het token is ingetrokken."))
    return redirect(url_for("auth.tokens"))
