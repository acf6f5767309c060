"""The visual system in a real Chromium: status tags coloured by their tone everywhere (a valid
certificate's tag is green, not grey), a secondary button style, breadcrumbs on case pages, a
print stylesheet; on a phone the navigation folds into a menu and wide tables become cards;
the Chinese header never wraps one character a line."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser
GREEN_TAG = "rgb(218, 251, 225)"


@pytest.fixture
def open_page(pages):
    return pages


def _background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


def test_tags_buttons_breadcrumbs_and_print(isolated_app, live_server, open_page):
    certificate, _, licence = certificate_on(isolated_app)
    page = open_page()
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/certificates/{certificate['number']}")
    assert _background(page, "h1 .status") == GREEN_TAG  # valid is green
    crumbs = page.locator(".breadcrumbs a")
    assert crumbs.last.get_attribute("href") == f"/licences/{licence['id']}"
    page.goto(f"{live_server.url}/licences/{licence['id']}")
    assert _background(page, "h1 .status") == GREEN_TAG  # issued, the same green
    assert page.locator(".breadcrumbs a[href='/regulator/licences']").count() == 1
    assert page.locator(".breadcrumbs [aria-current=page]").inner_text().startswith("BL-XX-")
    page.emulate_media(media="print")
    assert page.eval_on_selector("header.site", "e => getComputedStyle(e).display") == "none"
    assert page.eval_on_selector("main", "e => getComputedStyle(e).display") != "none"
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/licences/apply")
    primary = _background(page, "button[value=submit]")
    secondary = _background(page, "button[value=add_line]")
    assert primary != secondary


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_phone_menu_and_cards(isolated_app, live_server, open_page, locale):
    certificate_on(isolated_app)
    page = open_page(locale, width=375)
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/register")
    assert page.locator("#main-nav").is_hidden()
    toggle = page.locator(".menu-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#main-nav").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    row = page.locator("table.responsive tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert row.locator("td[data-label]").count() == 5


@pytest.mark.parametrize("width", [1280, 800, 375])
def test_the_chinese_header_keeps_each_link_on_one_line(isolated_app, live_server, open_page,
                                                        width):
    with isolated_app.app_context():  # an admin's header has the most links
        from broker_registry import db
        from broker_registry.accounts import service as accounts
        from broker_registry.permissions import Role

        accounts.create_account(db.session(), email="admin@example.org", display_name="管理员",
                                password="correct horse battery staple", role=Role.ADMIN)
        db.session().commit()
    page = open_page("zh-CN", width=width)
    sign_in(page, live_server.url, "admin@example.org")
    if width == 375 and page.locator(".menu-toggle").count():
        page.click(".menu-toggle")
    tall = page.evaluate("""() => [...document.querySelectorAll(
        'header.site .brand, header.site nav li a, header.site nav li button')]
        .filter(e => {  // the text's own line boxes: padding of a large target is no wrap
            const range = document.createRange();
            range.selectNodeContents(e);
            return new Set([...range.getClientRects()].map(r => Math.round(r.bottom))).size > 1;
        })
        .map(e => e.textContent.trim())""")
    assert tall == []
