"""Sign-in, sign-out, password change and personal API tokens."""

from flask import Blueprint, g

from registry.extensions import login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om deze pagina te bekijken."
# A session cookie used from another browser fingerprint is dropped, not trusted.
login_manager.session_protection = "strong"



@bp.before_app_request
def _forget_cached_user() -> None:
    # flask-login caches the user on `g`; when requests share an app context (tests push
    # one around many requests) the first request's user would stick to later ones.
    g.pop("_login_user", None)


from registry.auth import views  # noqa: E402,F401
