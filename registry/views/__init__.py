"""Public HTML pages (server-rendered, Dutch first)."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

# One sorted line, as ruff's import order wants it; add new page modules here.
from registry.views import (  # noqa: E402,F401
    compare,
    diagnosis,
    evidence_map,
    experiences,
    exports,
    feeds,
    guides,
    interventions,
    nominations,
    open_data,
    public,
    saved_profiles,
    search,
    studies,
)
