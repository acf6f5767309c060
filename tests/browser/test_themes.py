"""The site's themes on the customs pages, in a real Chromium: the header's switch (kept in
a cookie), the device's dark preference followed, large targets, 320 px wide, and axe-core
with no serious or critical violation in every theme and both languages."""

import pytest

from tests.browser.conftest import serious_violations, sign_in
from tests.browser.lane_helpers import forged
from tests.browser.test_lane import open_lane, scan
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def _axe(page, where: str) -> None:
    assert serious_violations(page) == [], where


def _themed(browser, url: str, theme: str, lang: str, **options):
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-GB", **options)
    context.add_cookies([{"name": "theme", "value": theme, "url": url},
                         {"name": "lang", "value": lang, "url": url}])
    return context


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_customs_pages_pass_axe(isolated_app, live_server, browser, lang):
    certificate, _, _ = certificate_on(isolated_app)
    context = _themed(browser, live_server.url, "light", lang)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "officer@example.org")
        for theme in ("light", "dark", "contrast"):
            context.add_cookies([{"name": "theme", "value": theme, "url": live_server.url}])
            open_lane(page, live_server.url)
            assert page.locator("html").get_attribute("data-theme") == theme
            _axe(page, f"empty lane, {theme}, {lang}")
            scan(page, certificate["qr_payload"], 1)
            _axe(page, f"VALID with the shipment form, {theme}, {lang}")
            scan(page, forged(certificate["qr_payload"]), 2)
            page.locator(".registry-record").wait_for()
            _axe(page, f"BAD_SIGNATURE beside the record, {theme}, {lang}")
            page.goto(f"{live_server.url}/customs/trace?marking=SN-1")
            _axe(page, f"trace, {theme}, {lang}")
    finally:
        context.close()


def test_the_switch_is_remembered_and_auto_follows_the_device(isolated_app, live_server,
                                                             browser):
    certificate_on(isolated_app)
    context = browser.new_context(locale="en-GB", color_scheme="dark")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "officer@example.org")
        page.goto(f"{live_server.url}/customs/verify")
        assert page.locator("html").get_attribute("data-theme") == "auto"
        dark = page.evaluate(BACKGROUND)
        assert dark == "rgb(13, 17, 23)"  # the device prefers dark: so does the page
        page.get_by_label("Colours").select_option("contrast")
        with page.expect_navigation():
            page.locator("form.theme button").click()
        assert page.url.endswith("/customs/verify")  # back where the choice was made
        page.goto(f"{live_server.url}/customs/trace")  # remembered on the next page
        assert page.locator("html").get_attribute("data-theme") == "contrast"
        assert page.evaluate(BACKGROUND) == "rgb(255, 255, 255)"
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    finally:
        context.close()


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_320_px_wide_with_large_targets(isolated_app, live_server, browser, theme):
    certificate, _, _ = certificate_on(isolated_app)
    context = _themed(browser, live_server.url, theme, "en",
                      viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "officer@example.org")
        open_lane(page, live_server.url)
        scan(page, forged(certificate["qr_payload"]), 1)
        page.locator(".registry-record").wait_for()
        scan(page, certificate["qr_payload"], 2)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        small = page.evaluate("""() => [...document.querySelectorAll(
            'main button, main input, main select, header a, header button, header select')]
          .filter(e => e.offsetParent !== null && e.type !== 'hidden')
          .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect().height])
          .filter(([, h]) => h < 44)""")
        assert small == []
    finally:
        context.close()
