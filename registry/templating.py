"""Template globals and filters shared by every page."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale

from registry import evidence


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_globals():
        return {
            "current_locale": str(get_locale()),
            "evidence_labels": evidence.LABELS,
            "evidence_explanations": evidence.EXPLANATIONS,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    @app.template_filter("term_label")
    def term_label(term) -> str:
        return term.label(str(get_locale())) if term is not None else ""
