"""Browser tests: a live server on its own SQLite file with the demo catalogue, and
Debian's Chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium these tests skip, unless REGISTRY_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from registry.demo.loader import load_demo
from registry.extensions import db
from registry.search.sync import rebuild_all
from tests.conftest import make_test_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("REGISTRY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is required (REGISTRY_REQUIRE_BROWSER=1) but missing")
    pytest.skip(f"{CHROMIUM} not installed: apt-get install -y chromium")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of the registry served with the demo catalogue on a free local port."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("live")
    app = make_test_app(f"sqlite:///{folder / 'live.sqlite'}", folder)
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        # SEARCH_SYNC is off under TESTING: build the search index from the loaded demo.
        rebuild_all(db.engine, folder / "index")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    """No per-test transaction here: the root conftest's would swap `db.session` for one
    on the test database, and the live server's requests would then read that instead
    of the demo catalogue."""
    yield None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def journey(tmp_path_factory) -> Iterator:
    """The journey tests' live server (tests/browser/journeys.py): built once, because the
    demo catalogue and its index take seconds; each journey works on records of its own."""
    _require_chromium()
    from tests.browser.journeys import journey_server

    with journey_server(tmp_path_factory.mktemp("journey")) as server:
        yield server


@pytest.fixture
def new_page(browser):
    """Opens pages in fresh browser contexts: one per user signed in at the same time."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
