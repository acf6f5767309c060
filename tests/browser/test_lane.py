"""The border lane in a real Chromium: scan after scan with a keyboard-mode scanner, the
verdict in plain words, untrusted content apart, an over-drawn line refused on its field."""

import pytest
from flask_babel import force_locale

from broker_registry.i18n.verdicts import reason_text
from tests.browser.conftest import sign_in
from tests.browser.lane_helpers import forged
from tests.customs.live import certificate_on, revoke_another

pytestmark = pytest.mark.browser
JUNK = "EUC1:NOT-A-CERTIFICATE"


def open_lane(page, url: str, query: str = ""):
    page.goto(f"{url}/customs/verify{query}")
    page.wait_for_selector("html[data-lane=ready]", timeout=30_000)


def scan(page, code: str, number: int, source: str = "registry", typed: bool = False) -> dict:
    """The code put in the field, then Enter; the banner it brings. typed: key by key, as a
    keyboard-mode scanner sends it (a key event a character: about a second a code, so only
    where the typing itself is tested)."""
    field = page.locator("#payload")
    if typed:
        field.type(code, delay=0)
    else:
        field.fill(code)
    field.press("Enter")
    banner = page.locator(f"#verdict[data-scan='{number}'][data-source='{source}']")
    banner.wait_for(timeout=10_000)
    return {"result": banner.get_attribute("data-result"), "text": banner.inner_text(),
            "field": field.input_value(),
            "focused": page.evaluate("document.activeElement.id")}


def test_ten_scans_in_a_row_each_answered(isolated_app, live_server, page):
    certificate, tokens, licence = certificate_on(isolated_app)
    revoked = revoke_another(isolated_app, tokens, licence)
    genuine, fake = certificate["qr_payload"], forged(certificate["qr_payload"])
    lane = [(genuine, "VALID"), (fake, "BAD_SIGNATURE"), (genuine, "VALID"), (JUNK, "MALFORMED"),
            (revoked["qr_payload"], "REVOKED"), (genuine, "VALID"), (fake, "BAD_SIGNATURE"),
            (revoked["qr_payload"], "REVOKED"), (JUNK, "MALFORMED"), (genuine, "VALID")]
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    for number, (code, expected) in enumerate(lane, start=1):
        # The first two key by key, as a keyboard-mode scanner sends them (a second or more
        # a code: the typing is what they test), then the rest put in the field at once.
        seen = scan(page, code, number, typed=number <= 2)
        assert seen["result"] == expected, (number, seen)
        assert seen["field"] == "" and seen["focused"] == "payload", number  # ready again
        if expected == "VALID":
            assert certificate["number"] in seen["text"]
            assert "Nordlicht Handelsvermittlung GmbH" in seen["text"]  # the broker
            assert "Ghana" in seen["text"] and "line 1: 100 of 100 left" in seen["text"]
            assert "Hold the goods" not in seen["text"]
        else:
            assert "+000 0000 0000" in seen["text"]  # the authority's number, from settings
        if expected == "REVOKED":
            assert "Do not let the goods cross. Hold the goods" in seen["text"]
    assert page.errors == []


def test_forged_content_is_untrusted_beside_the_record(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    seen = scan(page, forged(certificate["qr_payload"]), 1)
    assert seen["result"] == "BAD_SIGNATURE"
    untrusted = page.locator(".untrusted")
    assert "Untrusted content, do not rely on it" in untrusted.inner_text()
    page.locator(".registry-record").wait_for()
    assert "1000 piece (differs)" in untrusted.locator(".differs").inner_text()
    assert "100 piece" in page.locator(".registry-record .differs").inner_text()
    assert page.locator(".untrusted .differs").count() == 1  # only the changed line
    # drawn apart: another background and border than the trusted content's
    style = page.evaluate("""() => { const s = getComputedStyle(document.querySelector(
        '.untrusted')); return [s.borderStyle, s.backgroundImage]; }""")
    assert style[0] == "dashed" and style[1] != "none"
    assert page.locator("#lane-ship").count() == 0  # nothing to record against a forgery


def test_escape_and_scan_next_empty_and_focus_the_field(isolated_app, live_server, page):
    certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    field = page.locator("#payload")
    field.type("EUC1:HALF-A-SC", delay=0)
    field.press("Escape")
    assert field.input_value() == ""
    field.type("EUC1:ANOTHER", delay=0)
    page.get_by_role("button", name="Scan next (Esc)").click()
    assert field.input_value() == ""
    assert page.evaluate("document.activeElement.id") == "payload"


def test_an_over_drawn_line_is_refused_on_its_field(isolated_app, live_server, page):
    certificate, tokens, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    assert scan(page, certificate["qr_payload"], 1)["result"] == "VALID"
    page.get_by_label("Border post").fill("Aflao")
    page.get_by_label("Quantity crossing").fill("40")
    # meanwhile another post draws 70 of the 100
    drawn = isolated_app.test_client().post(
        f"/api/v1/certificates/{certificate['number']}/shipments",
        json={"border_post": "Elubo", "lines": [{"line": 1, "quantity": 70}]},
        headers={"Authorization": f"Bearer {tokens['officer']}"})
    assert drawn.status_code == 201
    page.get_by_role("button", name="Record shipment").click()
    error = page.locator("#lane-quantity_1-error")
    error.wait_for()
    assert error.inner_text() == "Line 1: 40 asked, only 30 left."
    assert page.locator("#lane-quantity_1").get_attribute("aria-invalid") == "true"
    banner = page.locator("#verdict")
    assert banner.get_attribute("data-result") == "NOT_RECORDED"
    assert "NOTHING RECORDED" in banner.inner_text() and "VALID" not in banner.inner_text()
    left = isolated_app.test_client().get(
        f"/api/v1/certificates/{certificate['number']}",
        headers={"Authorization": f"Bearer {tokens['officer']}"}).get_json()["remaining"]
    assert left[0]["left"] == 30  # nothing of the refused 40 was drawn


def test_a_shipment_recorded_from_the_lane(isolated_app, live_server, page):
    certificate, tokens, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    scan(page, certificate["qr_payload"], 1)
    page.get_by_label("Border post").fill("Aflao")
    page.get_by_label("Quantity crossing").fill("40")
    page.get_by_role("button", name="Record shipment").click()
    page.get_by_text(f"Shipment recorded against {certificate['number']}.").wait_for()
    assert page.evaluate("document.activeElement.id") == "payload"
    seen = scan(page, certificate["qr_payload"], 2)
    assert "line 1: 60 of 100 left" in seen["text"]


def test_the_lane_speaks_the_server_pages_words_in_chinese(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url, "?lang=zh")
    fake = forged(certificate["qr_payload"])
    seen = scan(page, fake, 1)
    with isolated_app.test_request_context():
        english = reason_text("signature_invalid", {})
        with force_locale("zh"):
            expected = reason_text("signature_invalid", {})
    assert expected in seen["text"] and expected != english
    assert page.locator("#verdict .verdict-word").inner_text() == "签名无效"


def test_the_device_answers_first_then_the_registry_knows_more(isolated_app, live_server, page):
    certificate, tokens, _ = certificate_on(isolated_app)
    drawn = isolated_app.test_client().post(  # every item shipped: only the registry knows
        f"/api/v1/certificates/{certificate['number']}/shipments",
        json={"border_post": "Elubo", "lines": [{"line": 1, "quantity": 100}]},
        headers={"Authorization": f"Bearer {tokens['officer']}"})
    assert drawn.status_code == 201
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    page.evaluate("""() => { window.painted = []; new MutationObserver(() => {
        const v = document.getElementById('verdict');
        window.painted.push([v.dataset.source, v.dataset.result,
                             v.querySelector('.verdict-source')?.textContent]);
      }).observe(document.getElementById('verdict'), {childList: true}); }""")
    seen = scan(page, certificate["qr_payload"], 1)
    assert seen["result"] == "EXHAUSTED" and "Nothing is left to ship" in seen["text"]
    painted = page.evaluate("window.painted")
    assert painted[0] == ["device", "VALID", "Checked on this device, lists from 0 min ago."]
    assert painted[-1] == ["registry", "EXHAUSTED", "Checked with the registry."]
    assert page.locator("#lane-ship").count() == 0


def test_shipment_form_errors_sit_on_their_fields(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    scan(page, certificate["qr_payload"], 1)
    page.get_by_label("Border post").fill("")
    page.get_by_role("button", name="Record shipment").click()
    assert page.locator("#lane-border_post-error").inner_text() == "Enter the border post."
    assert page.locator("#lane-quantity_1-error").inner_text() == \
        "Enter the quantity crossing on at least one line."
    page.get_by_label("Border post").fill("Aflao")
    page.get_by_label("Quantity crossing").fill("1")
    page.get_by_label("Markings (serial numbers), one per line").fill("SN-1\nSN-2")
    page.get_by_role("button", name="Record shipment").click()  # the registry refuses it
    error = page.locator("#lane-markings_1-error")
    error.wait_for()
    assert error.inner_text() == "more markings than items"
    assert page.locator("#lane-border_post-error").count() == 0  # the earlier errors went
    assert page.locator("#verdict").get_attribute("data-result") == "NOT_RECORDED"
