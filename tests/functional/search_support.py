"""Helpers for tests of the real after-commit search path: an app on a database of its
own with inline sync (the `live_search_app` fixture lives in tests/functional/conftest.py),
and small ways to write and search there."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from registry.extensions import db
from registry.models import Intervention, InterventionVersion
from search_index import searchers
from search_index.query import SearchRequest, run_search


def connect_args(url: str) -> dict:
    # Writers in several processes share one SQLite file: wait for the lock, don't fail.
    return {"timeout": 30} if url.startswith("sqlite") else {}


def index_dir(app: Flask) -> Path:
    return Path(app.config["INDEX_DIR"])


def add(title: str, number: int = 0) -> Intervention:
    """Publish an intervention with this title and commit it."""
    intervention = Intervention(slug=f"{title.lower().replace(' ', '-')}-{number}")
    version = InterventionVersion(
        number=1,
        status="published",
        title=title,
        summary="Begeleiding naar werk.",
        main_aim="Werk.",
        target_group_text="Iedereen.",
        approach="Stap voor stap.",
    )
    intervention.versions.append(version)
    db.session.add(intervention)
    db.session.flush()
    intervention.published_version = version
    db.session.commit()
    return intervention


def total(app: Flask, text: str) -> int:
    """How many interventions a text search finds in the app's index."""
    searcher, view = searchers.acquire(index_dir(app))
    return run_search(searcher, view, SearchRequest(text)).total
