"""The memory of a serving process: open the index, answer searches, report peak RSS.

python -m bench.search.serve DATABASE_URL INDEX_DIR  -> JSON on stdout

Nothing else runs in this process (no FTS5 baseline, no build), so its peak RSS is
what one web worker holds for the search index at this catalogue size.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.search.probe import FILTERS, TEXTS, _profile, peak_rss_mb
from registry import create_app
from registry.search import service
from search_index.query import SearchRequest


def main(database_url: str, index_dir: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INDEX_DIR": index_dir,
                      "SEARCH_SYNC": "worker"})
    root = Path(index_dir)
    with app.test_request_context():
        for i in range(100):
            text, filters = TEXTS[i % 10], FILTERS[i % 3]
            service.search(root, SearchRequest(text))
            service.search(root, SearchRequest(text, filters))
            service.search(root, SearchRequest("", filters, sort=["level", "title"][i % 2]))
            service.search_profile(root, _profile(i), 1, 20)
    json.dump({"rss_mb": peak_rss_mb()}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:3])
