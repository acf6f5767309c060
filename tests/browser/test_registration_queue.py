"""The regulator's registrations queue, a task queue like the licence queue: each application
with its applicant, the lists its names match (UN, national), how long it has waited; searched
by registration number or name, filtered by status, sorted, counted and paged; one card per
registration on a phone; axe-core finds nothing serious; both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from broker_registry.brokers import desk
from broker_registry.db.columns import utcnow
from tests.browser.conftest import responsive_table, sign_in
from tests.browser.test_journeys import _axe
from tests.customs.live import certificate_on
from tests.records import BROKER

pytestmark = pytest.mark.browser
TOTAL = {"en": "2 registrations", "zh": "2 份登记"}
FLAGS = {"en": ("National list", "Denied party"), "zh": ("国家名单", "拒绝方")}


def _applications(app) -> list[int]:
    """Two applications waiting beside the registered Nordlicht: Kestrel's, ten days old,
    its beneficial owner on the national list; then Orlov Freight's, its name on the UN's."""
    with app.app_context():
        from broker_registry import db
        from broker_registry.accounts import service as accounts
        from broker_registry.brokers import service
        from broker_registry.brokers.models import Broker
        from broker_registry.brokers.schemas import BrokerApplication
        from broker_registry.permissions import Role
        from broker_registry.screening.models import DeniedParty, DeniedSource

        session = db.session()
        ids = []
        for n, (name, owner) in enumerate((("Kestrel Brokerage Ltd", "Marco Vellani"),
                                           ("Viktor Orlov Freight", "Jane Smith"))):
            account = accounts.create_account(session, email=f"applicant{n}@example.org",
                                              password="correct horse battery staple",
                                              display_name=name, role=Role.BROKER)
            body = {**BROKER, "legal_name": name,
                    "beneficial_owners": [{"name": owner, "nationality": "IT"}]}
            ids.append(service.apply(session, owner=account,
                                     application=BrokerApplication.model_validate(body)).id)
        session.get(Broker, ids[0]).submitted_at = utcnow() - timedelta(days=10)
        session.add_all([
            DeniedParty(source=DeniedSource.AUTHORITY, reference="N-1", kind="individual",
                        name="Marco Vellani", aliases=[], countries=["IT"],
                        grounds="Denied LA-000001"),
            DeniedParty(source=DeniedSource.UN, reference="QDi.999", kind="individual",
                        name="VIKTOR PETROVICH ORLOV", aliases=["Victor Orloff"],
                        countries=["RU"])])
        session.commit()
        return ids


@pytest.fixture
def page_for(pages):
    def make(lang="en", width=1280):
        return pages(width=width), lang

    return make


def _open(page, lang, base, path="/regulator/brokers"):
    page.context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    sign_in(page, base, "r1@example.org")
    page.goto(base + path)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_queue_shows_applicant_flags_and_age_and_is_searched(isolated_app, live_server,
                                                                 page_for, lang):
    certificate_on(isolated_app)
    _applications(isolated_app)
    page, _ = page_for(lang)
    base = live_server.url
    _open(page, lang, base)
    rows = page.locator("table.responsive tbody tr")
    assert rows.count() == 2  # the two submitted; the registered broker has its own tab
    assert page.locator(".total").inner_text() == TOTAL[lang]
    national, un = FLAGS[lang]
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()  # oldest first
    assert "Kestrel Brokerage Ltd" in first and national in first and un not in first
    assert "10 days" in first or "10 天" in first
    assert "Viktor Orlov Freight" in second and un in second and national not in second
    assert page.locator("[aria-current=page] .count").inner_text() == "2"

    page.fill("#q", "vellani")  # a beneficial owner's name finds the registration
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert rows.count() == 1 and "Kestrel" in rows.first.inner_text()
    assert page.input_value("#q") == "vellani"
    page.select_option("#sort", "newest")
    page.fill("#q", "")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "Viktor Orlov Freight" in rows.first.inner_text()

    with page.expect_navigation():  # the status tabs: the registered broker, by its number
        page.locator(".status-counts a").nth(1).click()
    assert rows.count() == 1 and "Nordlicht" in rows.first.inner_text()
    number = rows.first.locator("td").nth(1).inner_text()
    page.goto(f"{base}/regulator/brokers?status=all&q={number.lower()}")
    assert rows.count() == 1 and number in rows.first.inner_text()
    page.goto(f"{base}/regulator/brokers?status=all&sort=name")
    assert [rows.nth(i).locator("th a").inner_text() for i in range(3)] == [
        "Kestrel Brokerage Ltd", "Nordlicht Handelsvermittlung GmbH", "Viktor Orlov Freight"]
    page.goto(f"{base}/regulator/brokers?status=nonsense&sort=nonsense&page=x")
    assert rows.count() == 2  # what the queue does not know falls back to its defaults
    _axe(page, "registration-queue", lang)


def test_the_queue_pages_and_counts(isolated_app, live_server, page_for, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 1)
    certificate_on(isolated_app)
    _applications(isolated_app)
    page, lang = page_for()
    _open(page, lang, live_server.url, "/regulator/brokers?status=all")
    rows = page.locator("table.responsive tbody tr")
    assert rows.count() == 1 and "Page 1 of 3" in page.inner_text(".pagination")
    assert page.locator(".total").inner_text() == "3 registrations"
    with page.expect_navigation():
        page.click(".pagination a[rel=next]")
    assert "Page 2 of 3" in page.inner_text(".pagination")
    assert "status=all" in page.url  # the page link keeps the tab
    with page.expect_navigation():
        page.click(".pagination a[rel=prev]")
    assert "Page 1 of 3" in page.inner_text(".pagination")


@pytest.mark.parametrize("lang, width", [("en", 320), ("zh", 375)])
def test_on_a_phone_each_registration_is_a_card_with_every_column(isolated_app, live_server,
                                                                  page_for, lang, width):
    certificate_on(isolated_app)
    _applications(isolated_app)
    page, _ = page_for(lang, width)
    _open(page, lang, live_server.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    display, labels, headers = responsive_table(page)
    assert display == "block"
    assert labels == headers  # every column reachable, named
    _axe(page, "registration-queue-phone", lang)
