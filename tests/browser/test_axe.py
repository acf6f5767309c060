"""axe-core (the pinned npm package, served from the app's static folder) finds no serious or
critical violation on any page outside the customs lane, in English and in Chinese, on a
desktop and on a phone, including a form's error state."""

from __future__ import annotations

import pytest

from broker_registry.accounts import service as accounts
from broker_registry.db.columns import utcnow
from broker_registry.permissions import Role
from tests.browser.conftest import serious_violations, sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser
PUBLIC = ["/", "/register", "/login", "/signup", "/api/docs"]
BROKER = ["/brokers/mine", "/brokers/{broker}", "/brokers/apply", "/licences/mine",
          "/licences/apply", "/licences/{licence}", "/certificates/{certificate}", "/account",
          "/notifications"]
REGULATOR = ["/regulator/licences", "/regulator/licences?status=all", "/regulator/brokers",
             "/licences/{licence}", "/brokers/{broker}", "/certificates/{certificate}",
             "/licences/{licence}/certificates/new", "/regulator/dashboard",
             "/regulator/reports", "/regulator/reports/{year}", "/admin/audit"]
ADMIN = ["/admin/users", "/admin/users/{account}", "/admin/embargoes",
         "/admin/denied-parties", "/admin/audit?person=r1"]
WIDTHS = (1280, 375)  # each page is checked on a desktop, then resized to a phone's width


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_no_serious_violation_on_any_page(isolated_app, live_server, browser, locale):
    certificate, _, licence = certificate_on(isolated_app)
    with isolated_app.app_context():
        from broker_registry import db

        admin = accounts.create_account(db.session(), email="admin@example.org",
                                        display_name="Ada Admin", role=Role.ADMIN,
                                        password="correct horse battery staple")
        db.session().commit()
        admin_id = admin.id
    values = {"broker": licence["broker_id"], "licence": licence["id"],
              "certificate": certificate["number"], "account": admin_id,
              "year": utcnow().year}
    context = browser.new_context(locale=locale, viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    bad = {}

    def check(where: str) -> None:
        """Each width in turn, then back to the first for the next page."""
        for width in (*WIDTHS[1:], WIDTHS[0]):
            if violations := serious_violations(page):
                bad[f"{where} at {page.viewport_size['width']} px"] = violations
            page.set_viewport_size({"width": width, "height": 900})

    for who, paths in ((None, PUBLIC), ("owner", BROKER), ("r1", REGULATOR),
                       ("admin", ADMIN)):
        context.clear_cookies()
        if who:
            sign_in(page, live_server.url, f"{who}@example.org")
        for path in paths:
            url = live_server.url + path.format(**values)
            response = page.goto(url)
            assert response.status < 400, url
            check(path)
    # A form's error state: the summary, the fields marked invalid.
    context.clear_cookies()
    sign_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/licences/apply")
    page.evaluate("document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert page.locator(".error-summary").count() == 1
    check("/licences/apply (errors)")
    context.close()
    assert bad == {}, "\n".join(f"{where}: {v}" for where, v in bad.items())
