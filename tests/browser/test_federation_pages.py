"""The admin's pages for foreign authorities in a real Chromium, on a phone 320 px wide: add a
partner by its address, compare the fingerprint (wrapped, never widening the page), a wrong one
refused with the error summary, the right one trusted."""

from __future__ import annotations

import hashlib

import pytest

from broker_registry.accounts import service as accounts
from broker_registry.permissions import Role
from tests.browser.conftest import sign_in
from tests.certs.federated import issuer
from tests.conftest import PASSWORD
from tests.federation.partner import Partner

pytestmark = pytest.mark.browser
WIDTH = 320


@pytest.fixture
def partner():
    served = Partner(issuer("PP-NCA"))
    yield served
    served.stop()


def test_an_admin_adds_a_partner_on_a_phone(isolated_app, live_server, browser, partner):
    with isolated_app.app_context():
        from broker_registry import db

        session = db.session()
        accounts.create_account(session, email="admin@example.org", password=PASSWORD,
                                display_name="Admin", role=Role.ADMIN)
        session.commit()
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "admin@example.org")
    page.goto(f"{base}/admin/authorities")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.fill("#base_url", partner.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    fingerprint = hashlib.sha256(partner.issuer.root_der).hexdigest()
    assert page.inner_text("#received-fingerprint") == fingerprint
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.fill("#fingerprint", "0" * 64)
    with page.expect_navigation():
        page.get_by_role("button", name="Trust this authority").click()
    assert "does not match" in page.inner_text(".error-summary")
    page.fill("#fingerprint", fingerprint)
    with page.expect_navigation():
        page.get_by_role("button", name="Trust this authority").click()
    assert "is trusted from now on" in page.inner_text("main")
    assert "PP-NCA" in page.inner_text("table")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    context.close()
