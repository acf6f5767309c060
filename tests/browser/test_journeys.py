"""The whole job in a real browser, in English and in Chinese: a broker signs up and applies,
two regulators approve and countersign, the certificate shows its QR code, customs verify an
uploaded photo and record a shipment, and the dashboard counts it. Every main page passes
axe-core with no serious or critical violation, and is photographed for the README."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from broker_registry.accounts import service as accounts
from broker_registry.db.columns import utcnow
from broker_registry.keys.authority import authority, key_store
from broker_registry.keys.service import ensure_keys
from broker_registry.permissions import Role
from certs import qr
from tests.browser.conftest import serious_violations, sign_in
from tests.mailbox import confirm_link

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


def _staff(app):
    with app.app_context():
        from broker_registry import db

        session = db.session()
        ensure_keys(session, key_store(), authority())
        for name, role in (("r1", Role.REGULATOR), ("r2", Role.REGULATOR),
                           ("officer", Role.CUSTOMS)):
            accounts.create_account(session, email=f"{name}@example.org", password=PASSWORD,
                                    display_name={"r1": "Rana Regulator", "r2": "王立",
                                                  "officer": "Carlos Customs"}[name], role=role)
        session.commit()


def _axe(page, name: str, lang: str) -> None:
    bad = serious_violations(page)
    assert bad == [], f"{name} ({lang}): {bad}"


def _shot(page, name: str, lang: str) -> None:
    """The README's pictures: made when missing, or anew with `make screenshots`."""
    path = SCREENSHOTS / f"{name}-{lang}.png"
    if path.exists() and not os.environ.get("UPDATE_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def _check(page, name, lang):
    assert page.locator("html").get_attribute("lang").startswith("zh" if lang == "zh" else "en")
    _axe(page, name, lang)
    _shot(page, name, lang)


def _submit(page, form_selector: str):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]:not([formnovalidate])").first.click()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_whole_job(isolated_app, live_server, browser, tmp_path, lang):
    _staff(isolated_app)
    base = live_server.url
    locale = "zh-CN" if lang == "zh" else "en-GB"

    def new_page():
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    broker = new_page()
    broker.goto(f"{base}/")
    _check(broker, "home", lang)
    broker.goto(f"{base}/signup")
    broker.fill("#display_name", "Amina Diallo")
    broker.fill("#email", "amina@example.org")
    broker.fill("#password", PASSWORD)
    _check(broker, "signup", lang)
    _submit(broker, "main form")
    _check(broker, "signup-sent", lang)
    # The mail the sign-up sent, read from the outbox as the broker reads their mail.
    with isolated_app.extensions["db"].engine.connect() as connection:
        link = confirm_link(connection, "amina@example.org")
    broker.goto(link)
    broker.fill("#password", PASSWORD)
    _check(broker, "signup-confirm", lang)
    _submit(broker, "main form")

    _check(broker, "broker-application", lang)
    broker.fill("#legal_name", "Diallo Courtage SARL")
    broker.check("input[name=kind][value=company]")
    broker.select_option("#country", "SN")
    broker.fill("#company_number", "SN-DKR-2020-B-1234")
    broker.fill("#address", "Rue 10, Dakar")
    broker.fill("#email", "contact@diallo.example")
    broker.check("input[name=activities][value=brokering]")
    broker.check("input[name=activities][value=transport]")
    broker.fill("#owner_name_0", "Amina Diallo")
    broker.select_option("#owner_nationality_0", "SN")
    _submit(broker, "main form")
    registration_url = broker.url
    assert "/brokers/" in registration_url

    regulator = new_page()
    sign_in(regulator, base, "r1@example.org")
    regulator.goto(f"{base}/regulator/brokers")
    _check(regulator, "registration-queue", lang)
    regulator.goto(registration_url)
    regulator.check("form[action$='/decision'] input[value=approve]")
    regulator.fill("#decision-reason", "Company register checked")
    _check(regulator, "registration-case", lang)
    _submit(regulator, "form[action$='/decision']")
    assert "BR-XX-" in regulator.inner_text("main")

    broker.goto(f"{base}/licences/apply")
    for role, name, country in (("supplier", "Fabbrica d'Armi Esempio S.p.A.", "IT"),
                                ("consignee", "Ghana Armed Forces Logistics", "GH"),
                                ("end_user", "Ghana Armed Forces", "GH")):
        broker.fill(f"#{role}_name", name)
        broker.fill(f"#{role}_address", "Via Roma 1, Brescia" if role == "supplier"
                    else "Burma Camp, Accra")
        broker.select_option(f"#{role}_country", country)
    broker.check("input[name=end_user_kind][value=armed_forces]")
    broker.fill("#goods_description_0", "Semi-automatic pistols, 9 mm")
    broker.select_option("#goods_category_0", "SALW-1")
    broker.fill("#goods_quantity_0", "200")
    broker.select_option("#goods_unit_0", "piece")
    broker.fill("#end_use", "Sidearms for military police units.")
    broker.fill("#transport", "Air cargo, Milan to Accra.")
    broker.fill("#financing", "Letter of credit.")
    broker.fill("#valid_until", (utcnow() + timedelta(days=300)).date().isoformat())
    _check(broker, "licence-application", lang)
    with broker.expect_navigation():
        broker.locator("button[name=action][value=submit]").click()
    licence_url = broker.url
    licence_id = int(licence_url.rstrip("/").split("/")[-1])

    for who in ("r1", "r2"):
        page = regulator if who == "r1" else new_page()
        if who == "r2":
            sign_in(page, base, "r2@example.org")
        page.goto(licence_url)
        page.check("form[action$='/decision'] input[value=approve]")
        page.fill("#decision-reason", "End-user statement verified")
        if who == "r2":
            _check(page, "licence-case", lang)
        _submit(page, "form[action$='/decision']")
    assert "BL-XX-" in page.inner_text("main")

    page.goto(f"{base}/licences/{licence_id}/certificates/new")
    _check(page, "certificate-issue", lang)
    _submit(page, "main form")
    assert "/certificates/EUC-XX-" in page.url
    page.wait_for_function("() => { const img = document.querySelector('figure img');"
                           " return img.complete && img.naturalWidth > 300; }")
    _check(page, "certificate", lang)
    number = page.url.rstrip("/").split("/")[-1]
    with isolated_app.app_context():
        from sqlmodel import select

        from broker_registry import db
        from broker_registry.certificates.models import Certificate

        payload = db.session().exec(select(Certificate.qr_payload)
                                    .where(Certificate.number == number)).one()
    photo = tmp_path / "photo.png"
    photo.write_bytes(qr.render_png(payload))

    officer = new_page()
    sign_in(officer, base, "officer@example.org")
    officer.goto(f"{base}/customs/verify")
    officer.set_input_files("#image", str(photo))
    _submit(officer, "#scan-form")
    assert officer.locator(".verdict-VALID .verdict-word").count() == 1
    officer.fill("#border_post", "Aflao")
    officer.fill("#quantity_1", "40")
    _check(officer, "customs-verify", lang)
    _submit(officer, "form[action$='/shipments']")
    assert "160" in officer.locator("table").first.inner_text()

    page.goto(f"{base}/regulator/dashboard")
    assert "Aflao" in page.inner_text("main")
    _check(page, "dashboard", lang)
    page.goto(f"{base}/register")
    _check(page, "public-register", lang)
    page.goto(f"{base}/regulator/licences?status=all")
    assert "Diallo Courtage SARL" in page.inner_text("table")  # the queue names the broker
    _check(page, "licence-queue", lang)

    # On a phone: the menu folded, the queue as cards, the case and the dashboard.
    phone = browser.new_context(locale=locale, viewport={"width": 375, "height": 800}).new_page()
    sign_in(phone, base, "r1@example.org")
    assert phone.locator("#main-nav").is_hidden()
    for name, url in (("licence-queue", f"{base}/regulator/licences?status=all"),
                      ("registration-queue", f"{base}/regulator/brokers?status=all"),
                      ("licence-case", licence_url), ("dashboard", f"{base}/regulator/dashboard"),
                      ("licence-application", None)):
        if url is None:
            phone.context.clear_cookies()
            sign_in(phone, base, "amina@example.org")
            url = f"{base}/licences/apply"
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, name
        _check(phone, f"{name}-phone", lang)

    # The dark theme, on a desk and on a phone: the regulator's queues, a case, the dashboard.
    for width, kind in ((1280, "dark"), (375, "dark-phone")):
        dark = browser.new_context(locale=locale,
                                   viewport={"width": width, "height": 900}).new_page()
        dark.context.add_cookies([{"name": "theme", "value": "dark", "url": base}])
        sign_in(dark, base, "r1@example.org")
        for name, url in (("licence-queue", f"{base}/regulator/licences?status=all"),
                          ("registration-queue", f"{base}/regulator/brokers?status=all"),
                          ("licence-case", licence_url),
                          ("dashboard", f"{base}/regulator/dashboard")):
            dark.goto(url)
            assert dark.locator("html").get_attribute("data-theme") == "dark"
            assert dark.evaluate("document.documentElement.scrollWidth") <= width, name
            _check(dark, f"{name}-{kind}", lang)
        dark.context.close()
