"""A visitor opens the home page, follows a link to an intervention and reads it."""

import pytest

pytestmark = pytest.mark.browser


def test_visitor_reaches_an_intervention_from_the_home_page(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Interventies", exact=True).first.click()
    page.get_by_role("link", name="IPS Werk en Herstel").first.click()
    page.wait_for_url("**/interventies/ips-werk-en-herstel")  # click() does not wait for it
    assert "IPS Werk en Herstel" in page.locator("h1").inner_text()
    assert page.get_by_text("Effectief volgens sterke aanwijzingen").first.is_visible()
