"""Public HTML pages (server-rendered, Dutch first)."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from registry.views import public  # noqa: E402,F401
