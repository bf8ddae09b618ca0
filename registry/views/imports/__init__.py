"""The researcher's import pages, one blueprint: upload, preview and confirm, batches
and undo, probable duplicates, findings (pages.py) and linking by hand (links.py)."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/import")

from registry.views.imports import links, pages  # noqa: E402,F401  (their routes join bp)
