"""On a phone 375 px wide, no page goes sideways: a wide table scrolls in its own box, and
the inputs of the goods table keep a usable width."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

WIDTH = 375


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_pages_fit_a_phone(isolated_app, live_server, phone):
    certificate, _, licence = certificate_on(isolated_app)
    base = live_server.url
    phone.goto(f"{base}/register")
    assert _page_width(phone) <= WIDTH, "/register"
    sign_in(phone, base, "officer@example.org")
    for path in (f"/customs/verify?payload={quote(certificate['qr_payload'])}",
                 f"/certificates/{certificate['number']}"):
        phone.goto(base + path)
        assert _page_width(phone) <= WIDTH, path
    phone.context.clear_cookies()
    sign_in(phone, base, "owner@example.org")
    phone.goto(f"{base}/licences/apply")
    assert _page_width(phone) <= WIDTH, "/licences/apply"
    widths = phone.evaluate("""[...document.querySelectorAll(
        '.goods-line input, .goods-line select')].map(e => e.getBoundingClientRect().width)""")
    assert widths and min(widths) >= 100, widths
    phone.context.clear_cookies()
    sign_in(phone, base, "r1@example.org")
    phone.goto(f"{base}/licences/{licence['id']}/certificates/new")
    assert _page_width(phone) <= WIDTH, "certificate issue"
    for path in ("/admin/audit", "/admin/audit?action=nonsense"):  # the log, and a refused filter
        phone.goto(base + path)
        assert _page_width(phone) <= WIDTH, path


def test_a_long_unbroken_reason_wraps_on_a_phone(isolated_app, live_server, phone):
    """A revocation reason quoting a link is one long word: it wraps, the page does not widen."""
    certificate, tokens, _ = certificate_on(isolated_app)
    link = "https://authority.example/cases/2026/11/diversion-investigation-0042/decision.pdf"
    revoked = isolated_app.test_client().post(
        f"/api/v1/certificates/{certificate['number']}/revoke",
        json={"reason": f"Decision: {link}"},
        headers={"Authorization": f"Bearer {tokens['r1']}"})
    assert revoked.status_code == 200
    base = live_server.url
    sign_in(phone, base, "officer@example.org")
    for path in (f"/customs/verify?payload={quote(certificate['qr_payload'])}",
                 f"/certificates/{certificate['number']}"):
        phone.goto(base + path)
        assert phone.get_by_text("diversion-investigation", exact=False).first.is_visible()
        assert _page_width(phone) <= WIDTH, path


def test_sign_up_and_account_pages_fit_a_phone(isolated_app, live_server, phone):
    """A sign-up's long address on its 'Check your email' panel and its confirmation, and an
    admin's page of one account."""
    from broker_registry.accounts import service as accounts
    from broker_registry.permissions import Role
    from tests.mailbox import confirm_link

    with isolated_app.app_context():
        from broker_registry import db

        session = db.session()
        accounts.create_account(session, email="admin@example.org", display_name="Ada Admin",
                                password="correct horse battery staple", role=Role.ADMIN)
        officer = accounts.create_account(session, email="officer@example.org",
                                          display_name="Carlos Customs",
                                          password="correct horse battery staple",
                                          role=Role.CUSTOMS)
        session.commit()
        officer_id = officer.id
    base, address = live_server.url, "a.very.long.address.of.a.compliance.desk@example.org"
    phone.goto(f"{base}/signup")
    phone.fill("#display_name", "Amina Diallo")
    phone.fill("#email", address)
    phone.fill("#password", "correct horse battery staple")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    assert phone.get_by_text(address).is_visible()
    assert _page_width(phone) <= WIDTH, "signup sent"
    with isolated_app.extensions["db"].engine.connect() as connection:
        phone.goto(confirm_link(connection, address))
    assert _page_width(phone) <= WIDTH, "signup confirm"
    sign_in(phone, base, "admin@example.org")
    phone.goto(f"{base}/admin/users/{officer_id}")
    assert _page_width(phone) <= WIDTH, "an account's page"
