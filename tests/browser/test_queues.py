"""The regulator's work queue: each application with its broker, screening flags and age;
searched by reference or name, filtered, sorted, counted and paged. Each staff role lands on
its own desk after signing in. On a phone the queue is one card per application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from broker_registry.db.columns import utcnow
from broker_registry.licences import desk
from broker_registry.licences.models import Licence, LicenceFinding
from tests.browser.conftest import responsive_table, sign_in
from tests.customs.live import certificate_on
from tests.records import application

pytestmark = pytest.mark.browser


def _applications(app, count: int) -> list[int]:
    """`count` more applications by the registered broker: the first aged ten days, with an
    embargo finding; the second naming another end user."""
    with app.app_context():
        from broker_registry import db
        from broker_registry.accounts.models import Account
        from broker_registry.brokers.models import Broker
        from broker_registry.licences import service
        from broker_registry.licences.schemas import LicenceApplication

        session = db.session()
        owner = session.exec(select(Account).where(Account.email == "owner@example.org")).one()
        broker = session.exec(select(Broker)).one()
        ids = []
        for n in range(count):
            body = application(broker.id)
            if n == 1:
                body["end_user"] = {**body["end_user"], "name": "Kestrel Frontier Guard"}
            licence = service.apply(session, owner=owner, threshold=90,
                                    application=LicenceApplication.model_validate(body))
            ids.append(licence.id)
        first = session.get(Licence, ids[0])
        first.submitted_at = utcnow() - timedelta(days=10)
        session.add(LicenceFinding(licence_id=first.id, rule="embargo_full", party_role="end_user",
                                   matched="GH", key="embargo:GH:full", evidence={},
                                   blocking=True,
                                   screened_at=utcnow()))
        session.commit()
        return ids


@pytest.fixture
def context_for(pages):
    return pages


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_queue_shows_broker_flags_and_age_and_is_searched(isolated_app, live_server,
                                                             context_for, locale):
    certificate_on(isolated_app)
    ids = _applications(isolated_app, 2)
    page = context_for(locale)
    sign_in(page, live_server.url, "r1@example.org")
    assert page.url.endswith("/regulator/licences"), "a regulator lands on the queue"
    rows = page.locator("table.responsive tbody tr")
    assert rows.count() == 2  # the two submitted; the issued licence is under its own status
    first = rows.first.inner_text()  # oldest first
    assert f"LA-{ids[0]:06d}" in first and "Nordlicht" in first
    assert ("Embargo" in first or "禁运" in first) and ("10 days" in first or "10 天" in first)
    assert "Embargo" not in rows.nth(1).inner_text() and "禁运" not in rows.nth(1).inner_text()
    assert page.locator(".total").inner_text().startswith("2")

    page.fill("#q", "kestrel")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert rows.count() == 1 and f"LA-{ids[1]:06d}" in rows.first.inner_text()
    page.goto(f"{live_server.url}/regulator/licences?q=LA-{ids[0]:06d}")
    assert rows.count() == 1 and f"LA-{ids[0]:06d}" in rows.first.inner_text()
    page.goto(f"{live_server.url}/regulator/licences?flag=embargo")
    assert rows.count() == 1
    page.goto(f"{live_server.url}/regulator/licences?sort=newest")
    assert f"LA-{ids[1]:06d}" in rows.first.inner_text()
    page.goto(f"{live_server.url}/regulator/licences?status=all")
    assert rows.count() == 3


def test_the_queue_pages_and_counts(isolated_app, live_server, context_for, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    certificate_on(isolated_app)
    _applications(isolated_app, 3)
    page = context_for()
    sign_in(page, live_server.url, "r1@example.org")
    assert page.locator("table.responsive tbody tr").count() == 2
    assert "Page 1 of 2" in page.inner_text(".pagination")
    counts = page.inner_text(".status-counts")
    assert "3" in counts  # three submitted
    with page.expect_navigation():
        page.click(".pagination a[rel=next]")
    assert page.locator("table.responsive tbody tr").count() == 1


def test_each_staff_role_lands_on_its_desk(isolated_app, live_server, context_for):
    certificate_on(isolated_app)
    for email, path in (("officer@example.org", "/customs/verify"),
                        ("owner@example.org", "/brokers/mine"),
                        ("r2@example.org", "/regulator/licences")):
        page = context_for()
        sign_in(page, live_server.url, email)
        assert page.url == live_server.url + path, email


def test_on_a_phone_each_application_is_a_card_with_every_column(isolated_app, live_server,
                                                                  context_for):
    certificate_on(isolated_app)
    _applications(isolated_app, 1)
    page = context_for(width=375)
    sign_in(page, live_server.url, "r1@example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    display, labels, headers = responsive_table(page)
    assert display == "block"
    assert labels == headers  # every column reachable, named
