"""Every demo intervention's fact sheet prints on one or two A4 pages in Chromium, and the
page is reached from the intervention page by keyboard."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import Intervention
from tests.browser.journeys import axe_violations, press_and_wait, tab_to

pytestmark = pytest.mark.browser

_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def _published_slugs(journey) -> list[str]:
    with journey.app.app_context():
        return list(db.session.scalars(
            select(Intervention.slug).where(Intervention.published_version_id.is_not(None))
            .order_by(Intervention.slug)))


def test_every_demo_fact_sheet_fits_two_a4_pages(journey, page):
    pages = {}
    for slug in _published_slugs(journey):
        page.goto(f"{journey.base}/interventies/{slug}/factsheet")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        pages[slug] = len(_PAGE.findall(pdf))

    assert len(pages) >= 30
    assert {slug: n for slug, n in pages.items() if not 1 <= n <= 2} == {}


def test_the_fact_sheet_is_one_keyboard_step_from_the_intervention(journey, page):
    page.goto(f"{journey.base}/interventies/ips-werk-en-herstel")

    tab_to(page, page.get_by_role("link", name="Factsheet om af te drukken (1 tot 2 pagina's)"))
    press_and_wait(page)

    assert page.url.endswith("/interventies/ips-werk-en-herstel/factsheet")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("img", name="Forest plot: Werk (uitstroom naar werk)").is_visible()
    assert axe_violations(page) == ""
