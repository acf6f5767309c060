"""The border lane without a network, after one visit: the page opens from its service
worker, verifies with the lists kept on the device, queues shipments and sends them when the
connection returns; one refused on arrival is shown and flagged to regulators."""

import time

import pytest

from tests.browser.conftest import sign_in
from tests.browser.lane_helpers import forged
from tests.browser.test_lane import open_lane, scan
from tests.customs.live import certificate_on, publish, revoke_another

pytestmark = pytest.mark.browser
KEPT = "html[data-offline=kept]"  # the service worker has kept every file the page loaded


def visit_then_go_offline(page, url: str):
    sign_in(page, url, "officer@example.org")
    open_lane(page, url)
    page.wait_for_selector(KEPT, state="attached", timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-lane=ready]", timeout=30_000)
    assert page.evaluate("navigator.onLine") is False


def left(app, number: str, token: str) -> int:
    answer = app.test_client().get(f"/api/v1/certificates/{number}",
                                   headers={"Authorization": f"Bearer {token}"})
    return answer.get_json()["remaining"][0]["left"]


def test_offline_after_one_visit_each_verdict_on_the_device(isolated_app, live_server, page):
    certificate, tokens, licence = certificate_on(isolated_app)
    revoked = revoke_another(isolated_app, tokens, licence)
    publish(isolated_app)  # revoked before the lane's last refresh
    visit_then_go_offline(page, live_server.url)
    assert "Lists on this device from 0 min ago" in page.inner_text("#lane-lists")
    for number, (code, expected) in enumerate(
            [(certificate["qr_payload"], "VALID"), (revoked["qr_payload"], "REVOKED"),
             (forged(certificate["qr_payload"]), "BAD_SIGNATURE")], start=1):
        seen = scan(page, code, number, source="device")
        assert seen["result"] == expected, seen
        assert "Checked on this device, lists from 0 min ago." in seen["text"]
        assert seen["field"] == "" and seen["focused"] == "payload"
    assert page.locator(".untrusted").count() == 1  # the forgery's content, apart, alone


def record_offline(page, certificate, quantity: str):
    seen = scan(page, certificate["qr_payload"], 1, source="device")
    assert seen["result"] == "VALID"
    page.get_by_label("Border post").fill("Aflao")
    page.get_by_label("Quantity crossing").fill(quantity)
    page.get_by_role("button", name="Record shipment").click()
    page.get_by_text("No connection: the shipment against").wait_for()
    # the list of what waits is drawn once the device has kept it, just after the banner
    page.locator("#lane-queue").get_by_text("waiting to send").wait_for(timeout=10_000)


def test_a_shipment_recorded_offline_is_sent_once_online(isolated_app, live_server, page):
    certificate, tokens, _ = certificate_on(isolated_app)
    visit_then_go_offline(page, live_server.url)
    record_offline(page, certificate, "40")
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 100
    page.get_by_role("button", name="Sign out").click()  # not while a shipment waits
    page.get_by_text("1 shipments you recorded offline are waiting to send").wait_for()
    page.context.set_offline(False)
    page.locator("#lane-queue").wait_for(state="hidden", timeout=15_000)
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 60
    page.context.set_offline(True)  # the connection drops and returns: nothing sent again
    page.context.set_offline(False)
    page.wait_for_timeout(500)
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 60
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.evaluate("""async () => { const c = await caches.keys(); return c.length; }""") == 0


def test_one_refused_on_arrival_is_shown_and_flagged(isolated_app, live_server, page, browser):
    certificate, tokens, _ = certificate_on(isolated_app)
    visit_then_go_offline(page, live_server.url)
    record_offline(page, certificate, "40")
    drawn = isolated_app.test_client().post(  # meanwhile another post draws 70 of the 100
        f"/api/v1/certificates/{certificate['number']}/shipments",
        json={"border_post": "Elubo", "lines": [{"line": 1, "quantity": 70}]},
        headers={"Authorization": f"Bearer {tokens['officer']}"})
    assert drawn.status_code == 201
    page.context.set_offline(False)
    refused = page.locator("#lane-queue li.refused")
    refused.wait_for(timeout=15_000)
    assert "refused on arrival" in refused.inner_text()
    assert "line 1: 40 asked, 30 left" in refused.inner_text()
    assert "The regulators see it on the certificate's page." in refused.inner_text()
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 30

    context = browser.new_context(locale="en-GB")
    regulator = context.new_page()
    sign_in(regulator, live_server.url, "r1@example.org")
    regulator.goto(f"{live_server.url}/certificates/{certificate['number']}")
    flagged = regulator.locator("section.flagged")
    assert "Shipments refused on arrival" in flagged.inner_text()
    assert "Aflao" in flagged.inner_text() and "line 1 × 40" in flagged.inner_text()
    assert "recorded offline, refused on arrival" in regulator.inner_text("main")  # audited
    context.close()


def test_lists_past_their_next_update_are_warned_of(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    publish(isolated_app)  # a list good for an hour
    sign_in(page, live_server.url, "officer@example.org")
    page.clock.install(time=time.time() + 3 * 3600)  # this device's clock: 3 hours ahead
    open_lane(page, live_server.url)
    assert "They are past their next update (due 2 h ago)" in page.inner_text("#lane-lists")
    page.context.set_offline(True)
    seen = scan(page, certificate["qr_payload"], 1, source="device")
    assert seen["result"] == "VALID"
    assert "The revocation list is stale: its update was due 2 h ago." in seen["text"]
    assert "This device's clock differed from the registry's by 108" in seen["text"]


def test_the_lane_is_an_installable_web_app(isolated_app, live_server, full_browser):
    """In the full Chromium: the headless shell answers no installability error at all, even
    for a page without a manifest."""
    certificate_on(isolated_app)
    page = full_browser.new_context(locale="en-GB").new_page()
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    page.wait_for_selector(KEPT, state="attached", timeout=30_000)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["manifest"]["startUrl"] == f"{live_server.url}/customs/verify"
    assert manifest["manifest"]["scope"] == f"{live_server.url}/customs/"
    # Playwright's contexts are incognito, where Chromium installs nothing: no other reason
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors] == ["in-incognito"]


def test_no_page_but_the_shell_is_kept(isolated_app, live_server, page):
    certificate, _, _ = certificate_on(isolated_app)
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    page.wait_for_selector(KEPT, state="attached", timeout=30_000)
    for path in ("/customs/trace?marking=SN-1", f"/certificates/{certificate['number']}",
                 "/customs/verify?payload=EUC1:X"):
        page.goto(f"{live_server.url}{path}")
    kept = page.evaluate("""async () => (await (await caches.open('lane-v1')).keys())
        .map((r) => new URL(r.url).pathname)""")
    assert "/customs/verify" in kept
    shell = page.evaluate("""async () => (await (await caches.open('lane-v1'))
        .match('/customs/verify')).text()""")
    assert "data-result" not in shell  # the bare page, not the verdict asked for by address
    assert [p for p in kept if not p.startswith(("/static/", "/api/v1/trust-list",
                                                 "/api/v1/revocations"))] == ["/customs/verify"]


def test_on_a_shared_pc_a_queued_shipment_waits_for_its_officer(isolated_app, live_server,
                                                                page):
    from broker_registry import db
    from broker_registry.accounts import service as accounts
    from broker_registry.permissions import Role

    certificate, tokens, _ = certificate_on(isolated_app)
    with isolated_app.app_context():
        accounts.create_account(db.session(), email="second@example.org",
                                password="correct horse battery staple",
                                display_name="second", role=Role.CUSTOMS)
        db.session().commit()
    visit_then_go_offline(page, live_server.url)
    record_offline(page, certificate, "40")
    page.context.clear_cookies()  # the first officer's session ends without a sign-out
    page.context.set_offline(False)  # sent without a session: refused, kept waiting
    page.wait_for_timeout(500)
    assert "waiting to send" in page.inner_text("#lane-queue")
    sign_in(page, live_server.url, "second@example.org")
    open_lane(page, live_server.url)
    assert page.locator("#lane-queue").is_hidden()  # not theirs: neither shown nor sent
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 100
    with page.expect_navigation():  # nothing of theirs waits: signed out, device cleared
        page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)  # the first officer is back: their shipment goes
    page.locator("#lane-queue").wait_for(state="hidden")
    assert left(isolated_app, certificate["number"], tokens["officer"]) == 60
