"""The registry application: create_app() builds it from configuration."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import config as config_module
from registry.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app; test_config overrides settings (tests pass their own)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "registry" / "static"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    base = (
        config_module.TestConfig
        if test_config and test_config.get("TESTING")
        else config_module.Config
    )
    app.config.from_object(base)
    if test_config:
        app.config.update(test_config)
    _refuse_development_secret_in_production(app)
    _refuse_bad_panel_rules(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # --- operations: logs, proxies, /healthz /readyz /metrics, security headers ---
    from registry.ops import init_ops

    init_ops(app)
    # --- end operations ---

    _init_extensions(app)
    # --- URL converters: <int:...> only matches database ids; before any blueprint ---
    from registry.views.converters import register_converters

    register_converters(app)
    # --- end URL converters ---
    _register_blueprints(app)
    from registry.unit_of_work import wrap_views

    wrap_views(app)  # after every blueprint: each view runs in the request's transaction
    from registry.read_requests import init_read_requests

    init_read_requests(app)
    from registry.cli import register_cli

    register_cli(app)
    from registry.errors import register_error_handlers

    register_error_handlers(app)
    from registry.templating import register_template_helpers

    register_template_helpers(app)
    from registry.search.changes import init_search

    init_search(app)
    from registry.table_statistics import init_table_statistics

    init_table_statistics()
    from registry.usage.counting import init_usage

    init_usage(app)
    from registry.content_generation import init_content_generation
    from registry.page_cache import init_page_cache

    init_content_generation(app)
    init_page_cache(app)
    return app


def _refuse_development_secret_in_production(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production" and (
        app.config["SECRET_KEY"] == config_module.DEVELOPMENT_SECRET_KEY
    ):
        raise RuntimeError(
            "Set REGISTRY_SECRET_KEY: the development secret is refused in production."
        )


def _refuse_bad_panel_rules(app: Flask) -> None:
    # A rule that cannot be met would otherwise fail every panel page at request time.
    from registry.services.panel_rules import parse_rules

    try:
        parse_rules(app.config.get("PANEL_RULES") or "", app.config["PANEL_MIN_REVIEWERS"])
    except ValueError as error:
        raise RuntimeError(f"REGISTRY_{error}") from None


def _init_extensions(app: Flask) -> None:
    from registry.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "registry" / "translations"),
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    import registry.models  # noqa: F401  (register every model with the metadata)
    from registry.auth.sessions import load_session_user

    login_manager.user_loader(load_session_user)


def _register_blueprints(app: Flask) -> None:
    from registry.api import bp as api_bp
    from registry.auth import bp as auth_bp
    from registry.i18n import bp as i18n_bp
    from registry.views import bp as pages_bp
    from registry.views.admin import bp as admin_bp
    from registry.views.dashboard import bp as dashboard_bp
    from registry.views.imports import bp as imports_bp
    from registry.views.interchange import bp as interchange_bp
    from registry.views.procedure import bp as procedure_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # the read-only API takes no cookie-authenticated writes
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(procedure_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(interchange_bp)
