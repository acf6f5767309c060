"""Goods lines and beneficial owners are "Add another" rows: one row to start, one more per
click, with a script (added in the page) or without (the server answers with a row more);
a refused form comes back with the rows sent, not three blank ones more. Transit countries
are a checkbox list a typed word narrows, not a Ctrl-click multiple select."""

from __future__ import annotations

from datetime import timedelta

import pytest

from broker_registry.db.columns import utcnow
from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser


@pytest.fixture
def new_page(pages):
    def make(*, script: bool = True, locale: str = "en-GB"):
        return pages(locale=locale, script=script)

    return make


def _lines(page) -> int:
    return page.locator(".goods-line").count()


def _fill_parties(page):
    for role, country in (("supplier", "IT"), ("consignee", "GH"), ("end_user", "GH")):
        page.fill(f"#{role}_name", f"The {role}")
        page.fill(f"#{role}_address", "Somewhere 1")
        page.select_option(f"#{role}_country", country)
    page.check("input[name=end_user_kind][value=armed_forces]")
    page.fill("#end_use", "Sidearms.")
    page.fill("#transport", "Air cargo.")
    page.fill("#financing", "Letter of credit.")
    page.fill("#valid_until", (utcnow() + timedelta(days=300)).date().isoformat())


def _fill_line(page, i: int, description: str, quantity: str):
    page.fill(f"#goods_description_{i}", description)
    page.select_option(f"#goods_category_{i}", "SALW-1")
    page.fill(f"#goods_quantity_{i}", quantity)
    page.select_option(f"#goods_unit_{i}", "piece")


def test_goods_lines_are_added_and_removed_without_a_script(isolated_app, live_server,
                                                            new_page):
    certificate_on(isolated_app)
    page = new_page(script=False)
    sign_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/licences/apply")
    assert _lines(page) == 1
    assert page.locator("select[multiple]").count() == 0
    page.fill("#goods_description_0", "Pistols")
    with page.expect_navigation():
        page.click("button[value=add_line]")
    assert _lines(page) == 2 and page.input_value("#goods_description_0") == "Pistols"
    assert page.locator(".error-summary").count() == 0  # adding a row checks nothing yet
    _fill_parties(page)
    _fill_line(page, 0, "Pistols", "0")  # a quantity the server refuses
    with page.expect_navigation():  # refused, with the same two rows
        page.click("button[name=action][value=submit]")
    assert page.locator(".error-summary").count() == 1 and _lines(page) == 2
    with page.expect_navigation():
        page.click("button[name=remove_line][value='1']")
    assert _lines(page) == 1 and page.input_value("#goods_description_0") == "Pistols"


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_two_lines_and_two_transit_countries_with_a_script(isolated_app, live_server,
                                                           new_page, locale):
    certificate_on(isolated_app)
    page = new_page(locale=locale)
    sign_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/licences/apply")
    url = page.url
    page.click("button[value=add_line]")
    page.click("button[value=add_line]")
    assert page.url == url and _lines(page) == 3  # added in the page, not sent
    assert page.evaluate("document.activeElement.id") == "goods_description_2"
    legends = page.locator(".goods-line legend").all_inner_texts()
    assert [any(str(n) in text for n in (1, 2, 3)) for text in legends] == [True] * 3
    page.click(".goods-line:nth-of-type(2) [data-remove-row]")
    assert _lines(page) == 2
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)), "every id once"
    assert page.locator("label[for=goods_quantity_1]").count() == 1
    _fill_parties(page)
    _fill_line(page, 0, "Pistols", "20")
    _fill_line(page, 1, "Rifles", "5")
    page.fill("#transit_filter", "Togo" if locale == "en-GB" else "多哥")
    visible = page.locator("#transit-list label:visible")
    assert visible.count() == 1
    visible.first.locator("input").check()
    page.fill("#transit_filter", "")
    page.check("#transit-list input[value=BJ]")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert "/licences/" in page.url and "apply" not in page.url, page.inner_text("main")[:400]
    main = page.inner_text("main")
    assert "Pistols" in main and "Rifles" in main
    assert ("Togo" in main and "Benin" in main) or ("多哥" in main and "贝宁" in main)


def test_beneficial_owners_are_added_in_the_page(isolated_app, live_server, new_page):
    with isolated_app.app_context():
        from broker_registry import db
        from broker_registry.accounts import service as accounts
        from broker_registry.permissions import Role

        accounts.create_account(db.session(), email="new@example.org", display_name="New",
                                password="correct horse battery staple", role=Role.BROKER)
        db.session().commit()
    page = new_page()
    sign_in(page, live_server.url, "new@example.org")
    page.goto(f"{live_server.url}/brokers/apply")
    assert page.locator(".owner[data-row]").count() == 1
    page.click("button[value=add_owner]")
    assert page.locator(".owner[data-row]").count() == 2
    assert page.locator("label[for=owner_name_1]").inner_text() == "Owner 2 name"
    assert page.locator("#owner_nationality_1").count() == 1
