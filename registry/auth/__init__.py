"""Sign-in, sign-out, password change and personal API tokens."""

from flask import Blueprint, g
from flask_babel import gettext

from registry.extensions import login_manager
from registry.i18n import N_

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = N_("Log in om deze pagina te bekijken.")
# Translated when flashed, in the locale of the request that needs the sign-in.
login_manager.localize_callback = gettext
# A session cookie used from another browser fingerprint is dropped, not trusted.
login_manager.session_protection = "strong"



@bp.before_app_request
def _forget_cached_user() -> None:
    # flask-login caches the user on `g`; when requests share an app context (tests push
    # one around many requests) the first request's user would stick to later ones.
    g.pop("_login_user", None)


from registry.auth import views  # noqa: E402,F401
