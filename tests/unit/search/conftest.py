"""An index per test, fed from the test's own transaction through the change log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from registry.extensions import db
from registry.search import sync
from search_index import searchers
from search_index.profile import ClientProfile, run_profile
from search_index.query import SearchRequest, run_search


@dataclass
class TestIndex:
    root: Path

    def sync(self) -> int:
        """Apply the change log now (after_commit never fires inside a test transaction)."""
        db.session.flush()
        return sync.sync_pending(db.session.connection(), self.root)

    def search(self, text: str = "", **kwargs):
        searcher, view = searchers.acquire(self.root)
        return run_search(searcher, view, SearchRequest(text, **kwargs))

    def profile(self, **kwargs):
        searcher, view = searchers.acquire(self.root)
        return run_profile(searcher, view, ClientProfile(**kwargs))

    def titles(self, text: str = "", **kwargs) -> list[str]:
        from registry.models import Intervention

        ids = [i for i, _ in self.search(text, **kwargs).hits]
        return [db.session.get(Intervention, i).published_version.title for i in ids]


@pytest.fixture
def index(app, db_session, tmp_path, monkeypatch) -> TestIndex:
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    sync.rebuild(db_session.connection(), root)
    yield TestIndex(root)
    searchers.release_all()
