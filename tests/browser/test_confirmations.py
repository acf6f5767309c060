"""In Chromium, in both languages and at phone width: suspending a broker goes through a
confirmation page that states its reach, is accessible (axe-core), and acts on "Yes"."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_journeys import _axe
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

SAID = {"en": ("This suspends 1 licence and 1 certificate.", "Yes, suspend"),
        "zh": ("此操作将暂停 1 份许可证和 1 份证书。", "是，暂停")}


@pytest.mark.parametrize("lang, width", [("en", 1280), ("zh", 320)])
def test_suspending_a_broker_is_confirmed_first(isolated_app, live_server, page, lang, width):
    _, _, licence = certificate_on(isolated_app)
    broker_id = licence["broker_id"]
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/brokers/{broker_id}")
    page.fill("#suspend-reason", "Audit pending.")
    with page.expect_navigation():
        page.locator("form[action$='/suspend'] button[type=submit]").click()
    headline, yes = SAID[lang]
    assert headline in page.locator(".warning-text").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _axe(page, "confirm-suspend", lang)
    with page.expect_navigation():
        page.get_by_role("button", name=yes).click()
    assert page.url.endswith(f"/brokers/{broker_id}")
    assert page.locator("h1 .status.tag-warn").count() == 1  # suspended's tone (web/tags.py)
    assert page.errors == []
