"""Everything works from the keyboard: skip link first, labelled fields in order, Enter submits."""

import pytest

from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_sign_in_and_verify_without_a_mouse(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    page.goto(f"{live_server.url}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_to(page, "#email")
    page.keyboard.type("officer@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("correct horse battery staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    _tab_to(page, "a[href='/customs/verify']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#payload")
    page.keyboard.insert_text(certificate["qr_payload"])
    page.keyboard.press("Enter")  # answered in the page (customs/lane.js), no navigation
    page.locator("#verdict.verdict-VALID[data-source=registry]").wait_for()
    assert page.evaluate("document.activeElement.id") == "payload"  # ready for the next
    _tab_to(page, "#lane-border_post")
    page.keyboard.type("Aflao")
    _tab_to(page, "#lane-quantity_1")
    page.keyboard.type("5")
    _tab_to(page, "#lane-ship button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text(f"Shipment recorded against {certificate['number']}.").wait_for()
    assert page.evaluate("document.activeElement.id") == "payload"
    page.keyboard.insert_text(certificate["qr_payload"])
    page.keyboard.press("Enter")
    page.locator("#verdict[data-scan='2'][data-source=registry]").wait_for()
    assert "line 1: 95 of 100 left" in page.locator("#verdict").inner_text()
    assert page.errors == []
