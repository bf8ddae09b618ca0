"""Shared by the journey tests (test_journeys_*.py): a live server of their own with the
demo catalogue, one account per role and CSRF protection on (as in production), on
SQLite or on the PostgreSQL server of REGISTRY_TEST_DATABASE_URL; sign-in, keyboard
helpers and axe-core.

One server serves every journey (session scope: loading the catalogue and building its
index takes seconds), so each journey creates and judges records of its own, under titles
no other journey uses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from registry.demo.loader import load_demo
from registry.extensions import db
from registry.search.sync import rebuild_all
from tests.conftest import make_test_app, new_database
from tests.factories import OrganisationFactory
from tests.unit.procedure.support import PASSWORD, make_user

# The same rules as tests/browser/test_accessibility.py: WCAG 2.1 A and AA.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

OWNER_ORGANISATION = "Stichting Werkpad Zuid"

# key -> (e-mail address, name, roles); names sort in this order on the panel page.
ACCOUNTS = {
    "professional": ("klantmanager@example.org", "Karin Klantmanager", ("professional",)),
    "owner": ("eigenaar@example.org", "Omar Eigenaar", ("owner",)),
    "owner_without_organisation": ("los@example.org", "Olga Zonder", ("owner",)),
    "secretary": ("secretaris@example.org", "Sara Secretaris", ("secretary",)),
    "reviewer_a": ("anna@example.org", "Anna Beoordelaar", ("reviewer",)),
    "reviewer_b": ("bram@example.org", "Bram Beoordelaar", ("reviewer",)),
    "researcher": ("onderzoeker@example.org", "Rik Onderzoeker", ("researcher",)),
    "admin": ("beheerder@example.org", "Bea Beheerder", ("admin",)),
}


@dataclass
class Journey:
    app: Flask
    base: str
    user_ids: dict[str, int] = field(default_factory=dict)

    def email(self, key: str) -> str:
        return ACCOUNTS[key][0]

    def name(self, key: str) -> str:
        return ACCOUNTS[key][1]


def _create_accounts() -> dict[str, int]:
    organisation = OrganisationFactory(name=OWNER_ORGANISATION, slug="stichting-werkpad-zuid")
    ids = {}
    for key, (email, name, roles) in ACCOUNTS.items():
        owned = organisation if key == "owner" else None
        ids[key] = make_user(*roles, organisation=owned, email=email, name=name).id
    return ids


@contextmanager
def journey_server(folder: Path) -> Iterator[Journey]:
    """A live server with the demo catalogue, its search index and one account per role."""
    with new_database(folder, "journey") as url:
        app = make_test_app(url, folder, WTF_CSRF_ENABLED=True,
                            IMPORT_UPLOAD_DIR=str(folder / "uploads"))
        with app.app_context():
            upgrade()
            load_demo()
            user_ids = _create_accounts()
            db.session.commit()
            # SEARCH_SYNC is off under TESTING: build the index from what was loaded.
            rebuild_all(db.engine, folder / "index")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Journey(app, f"http://127.0.0.1:{server.server_port}", user_ids)
        finally:
            server.shutdown()
            thread.join(timeout=5)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def sign_in(page, journey: Journey, key: str) -> None:
    """Sign in through the form (with the mouse: for journeys that are not about the keyboard)."""
    page.goto(journey.base + "/inloggen")
    page.get_by_label("E-mailadres").fill(journey.email(key))
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("link", name="Mijn werk").is_visible(), f"{key} is not signed in"


def sign_in_by_keyboard(page, journey: Journey, key: str) -> None:
    """Sign in with Tab and typing only."""
    page.goto(journey.base + "/inloggen")
    tab_to(page, page.get_by_label("E-mailadres"))
    page.keyboard.type(journey.email(key))
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_and_wait(page)


def activate(page, target) -> None:
    """Tab to a link or button and press Enter, waiting for the next page."""
    tab_to(page, target)
    press_and_wait(page)


def fits_320(page) -> bool:
    """Whether the page fits a 320 px wide screen without scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        return page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def is_focused(page, target) -> bool:
    return page.evaluate("element => element === document.activeElement", target.element_handle())


def wait_for_focus(page, selector: str, timeout: float = 5000) -> None:
    """Wait until the element of `selector` has the focus (a skip link or a jump within
    the page moves it a moment after the key press); fails naming what has it instead."""
    try:
        page.wait_for_function("selector => document.activeElement === "
                               "document.querySelector(selector)", arg=selector,
                               timeout=timeout)
    except Exception as error:
        focused = page.evaluate("document.activeElement.tagName + '#' + "
                                "document.activeElement.id")
        raise AssertionError(f"{selector} did not get the focus; {focused} has it") from error


def tab_to(page, target, *, limit: int = 250, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until `target` has the focus; returns the presses needed.

    Fails when the target is not in the tab order within `limit` presses: it cannot be
    reached by keyboard.
    """
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("element => element === document.activeElement", handle):
            return presses
    raise AssertionError(f"{target} not reached with {limit} presses of {key} on {page.url}")


def press_and_wait(page, key: str = "Enter") -> None:
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def axe_violations(page) -> str:
    """The WCAG violations axe-core finds on the page, described one per line ('' if none)."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in response["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return f"axe violations on {response['url']}:\n" + "\n".join(lines) if lines else ""


def appraise_every_study(page) -> int:
    """Answer the appraisal of each effect study on the assessment form as a reviewer
    would (a matched comparison, equivalent at baseline: meets with reservations);
    returns how many studies there were."""
    fieldsets = page.locator("fieldset.appraisal")
    for index in range(fieldsets.count()):
        study = fieldsets.nth(index)
        for label in ("Quasi-experimenteel, met vergelijkingsgroep",
                      "Door matching of een statistisch model", "Geen", "Valide en betrouwbaar",
                      "Passend"):
            study.get_by_label(label, exact=True).check()
        study.get_by_label("Totale uitval (%)").fill("15")
        study.get_by_label("Verschil in uitval tussen de groepen (procentpunten)").fill("3")
        study.get_by_label("Verschil tussen de groepen bij de start op de uitkomst (in SD)"
                           ).fill("0,04")
    return fieldsets.count()
