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
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    INDEX_DIR = _env("INDEX_DIR", str(INSTANCE_DIR / "index"))

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    API_MAX_PER_PAGE = 100
    API_DEFAULT_PER_PAGE = 20
    PAGE_SIZE = 20

    # Years a recognition stays valid; months for a provisional one (DOMAIN.md).
    RECOGNITION_VALID_YEARS = int(_env("RECOGNITION_VALID_YEARS", "5"))
    PROVISIONAL_VALID_MONTHS = int(_env("PROVISIONAL_VALID_MONTHS", "6"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))


class TestConfig(Config):
    """Fresh database per test run; the URL comes from REGISTRY_TEST_DATABASE_URL."""

    TESTING = True
    ENV_NAME = "test"
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("REGISTRY_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
