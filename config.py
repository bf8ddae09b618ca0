"""Configuration: safe laptop defaults, production values from REGISTRY_* variables."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("REGISTRY_INSTANCE_DIR", BASE_DIR / "instance"))

# Only ever used when REGISTRY_ENV is not "production"; create_app refuses it there.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 (public on purpose)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"REGISTRY_{name}", default)


class Config:
    """Defaults for a laptop: SQLite file and search index under instance/."""

    ENV_NAME = _env("ENV", "development")
    SECRET_KEY = _env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'registry.sqlite'}")
    # hide_parameters: a database error's message (and so the log) shows no statement
    # parameters, which hold e-mail addresses, names and texts.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    INDEX_DIR = _env("INDEX_DIR", str(INSTANCE_DIR / "index"))
    # This host's open data download (/open-data), renewed by `flask opendata publish`.
    OPENDATA_DIR = _env("OPENDATA_DIR", str(INSTANCE_DIR / "opendata"))
    # Who publishes the open data, as the national data portal shows it (DCAT).
    OPENDATA_PUBLISHER = _env("OPENDATA_PUBLISHER", "Interventies naar Werk")
    OPENDATA_CONTACT_EMAIL = _env("OPENDATA_CONTACT_EMAIL",
                                  "opendata@interventies-naar-werk.example")

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    API_MAX_PER_PAGE = 100
    API_DEFAULT_PER_PAGE = 20
    PAGE_SIZE = 20

    # Years a recognition stays valid; months for a provisional one (docs/domain.md).
    RECOGNITION_VALID_YEARS = int(_env("RECOGNITION_VALID_YEARS", "5"))
    PROVISIONAL_VALID_MONTHS = int(_env("PROVISIONAL_VALID_MONTHS", "6"))
    # `flask jobs run` reminds owners and secretaries this many months before a
    # recognition lapses (comma-separated).
    REMINDER_MONTHS_BEFORE_EXPIRY = tuple(
        int(m) for m in _env("REMINDER_MONTHS_BEFORE_EXPIRY", "6,3,1").split(",") if m.strip())

    # The assessment procedure (docs/domain.md).
    PANEL_MIN_REVIEWERS = int(_env("PANEL_MIN_REVIEWERS", "2"))
    # Panels by the level sought: level → {"reviewers": n, "expertise": [codes]} as JSON
    # (codes: methodology, practice, content, lived_experience). Empty: the defaults of
    # registry/services/panel_rules.py. A round without a level sought needs
    # PANEL_MIN_REVIEWERS reviewers.
    PANEL_RULES = _env("PANEL_RULES", "")
    OBJECTION_PERIOD_DAYS = int(_env("OBJECTION_PERIOD_DAYS", "42"))

    # Accounts: password rules and throttling of failed sign-ins.
    PASSWORD_MIN_LENGTH = int(_env("PASSWORD_MIN_LENGTH", "12"))
    LOGIN_THROTTLE_WINDOW_SECONDS = int(_env("LOGIN_THROTTLE_WINDOW_SECONDS", "900"))
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(_env("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))

    # Notices by e-mail; without MAIL_SERVER they are written to the log.
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_FROM = _env("MAIL_FROM", "noreply@interventies-naar-werk.example")
    SITE_URL = _env("SITE_URL", "http://127.0.0.1:5000")

    # Search index sync: "inline" applies changes right after each commit; "worker"
    # leaves them to one `flask index sync --follow` process.
    SEARCH_SYNC = _env("SEARCH_SYNC", "inline")
    SEARCH_LOCK_TIMEOUT = float(_env("SEARCH_LOCK_TIMEOUT", "10"))
    # Inline: how long a request waits for the index after its commit (the catch-up
    # thread applies what it could not, every SEARCH_CATCH_UP_SECONDS; 0: no thread).
    SEARCH_INLINE_LOCK_TIMEOUT = float(_env("SEARCH_INLINE_LOCK_TIMEOUT", "2"))
    SEARCH_CATCH_UP_SECONDS = float(_env("SEARCH_CATCH_UP_SECONDS", "30"))
    # Change-log rows are kept this long (and until every index replica has applied
    # them); a replica away for longer rebuilds itself. Must exceed a full rebuild.
    SEARCH_CHANGE_RETENTION_HOURS = float(_env("SEARCH_CHANGE_RETENTION_HOURS", "168"))

    # Adoption figures (registry/usage): counted in memory, written every this many
    # seconds by a thread per process (0: only when flushed by hand, as in tests).
    USAGE_COUNTING = _env("USAGE_COUNTING", "1") == "1"
    USAGE_FLUSH_SECONDS = float(_env("USAGE_FLUSH_SECONDS", "60"))
    # How long a process keeps the facet labels of the vocabularies (every search page
    # shows them; they change only when `flask vocabularies load` runs). 0: not kept.
    TERM_LABELS_SECONDS = float(_env("TERM_LABELS_SECONDS", "60"))
    # Rendered intervention pages each process keeps, compressed (registry/page_cache.py;
    # about 10 KB a page, so the default holds some 3,000). 0: none kept.
    PAGE_CACHE_BYTES = int(_env("PAGE_CACHE_BYTES", str(32 * 1024 * 1024)))
    # `flask import studies` lowers its CPU priority by this much (nice): processes of
    # its own session go first (a web service needs CPUWeight, docs/deploy.md). 0: not.
    IMPORT_NICE = int(_env("IMPORT_NICE", "10"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
    # Records per import through a page or the API (the command line has no cap): about
    # 1 s to preview and 5 s to store 10,000, where a 20 MB file of a million tiny records
    # held a worker for minutes.
    IMPORT_MAX_RECORDS = int(_env("IMPORT_MAX_RECORDS", "10000"))
    # Uploaded import files wait here between preview and confirm (default: instance/).
    IMPORT_UPLOAD_DIR = _env("IMPORT_UPLOAD_DIR")

    # --- Operations (registry/ops): logs, proxies, readiness, metrics -----------------
    LOG_FORMAT = _env("LOG_FORMAT", "json" if ENV_NAME == "production" else "text")
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")
    # Proxies in front that set X-Forwarded-For/-Proto/-Host (0: none, trust no header).
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
    # Host names this site answers to; any other Host header gets 400 (None: any).
    TRUSTED_HOSTS = [
        host.strip() for host in (_env("TRUSTED_HOSTS") or "").split(",") if host.strip()
    ] or None
    READY_MAX_LAG_SECONDS = float(_env("READY_MAX_LAG_SECONDS", "60"))
    METRICS_TOKEN = _env("METRICS_TOKEN")
    # --- end operations ----------------------------------------------------------------


class TestConfig(Config):
    """Fresh database per test run; the URL comes from REGISTRY_TEST_DATABASE_URL."""

    TESTING = True
    ENV_NAME = "test"
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("REGISTRY_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    # Test commits are savepoints inside a rolled-back transaction: tests that need the
    # after-commit sync use their own database and ask for "inline".
    SEARCH_SYNC = "off"
    USAGE_FLUSH_SECONDS = 0  # tests flush the usage counts themselves
    SEARCH_CATCH_UP_SECONDS = 0  # tests catch up by hand (registry/search/catch_up.py)
    TERM_LABELS_SECONDS = 0  # tests change labels and look at once
    # Test commits are savepoints: the content generation never moves, so a kept page
    # would outlive its test. The page cache's tests use databases of their own.
    PAGE_CACHE_BYTES = 0
    IMPORT_NICE = 0  # the CLI tests run the command inside the test process
    # A laptop's REGISTRY_TRUSTED_* must not make every test request a 400.
    TRUSTED_HOSTS = None
    TRUSTED_PROXIES = 0
