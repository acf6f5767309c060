"""Errors as GOV.UK says them: plain words, one per problem; the summary first, focused, in the
form's order, each link taking the reader to its field; the same words on each field."""

from __future__ import annotations

import pytest

from broker_registry.accounts import service as accounts
from broker_registry.permissions import Role
from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"title": "There is a problem", "legal_name": "Enter the legal name",
           "kind": "Select whether the broker is an individual or a company",
           "country": "Select the country", "date": "Enter a date, for example 31 1 2027",
           "quantity": "Enter a quantity of 1 or more",
           "left": "Enter a quantity of 199 or fewer: that is what is left of line 1"},
    "zh": {"title": "出现问题", "legal_name": "请输入法定名称",
           "kind": "请选择中介商是个人还是公司", "country": "请选择国家",
           "date": "请输入日期，例如 2027 1 31", "quantity": "请输入 1 或以上的数量",
           "left": "请输入不超过 199 的数量：这是第 1 项剩余的数量"},
}
API_WORDS = ("must be one of", "at least 2 characters", "RFC 3339", "is required",
             "must not be empty", "必填")


@pytest.fixture
def page_in(pages):
    def make(lang: str, width: int = 1280):
        return pages(locale="zh-CN" if lang == "zh" else "en-GB", width=width)

    return make


def _send_unchecked(page, selector="main form button[type=submit]:not([formnovalidate])"):
    """Send the form past the browser's own checks, as a browser without them would."""
    page.evaluate("document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
    with page.expect_navigation():
        page.locator(selector).first.click()


def _summary(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(".error-summary a", "links => links.map("
                                     "a => [a.textContent.trim(), a.hash.slice(1)])")


def _in_form_order(page, ids: list[str]) -> bool:
    return page.evaluate("""ids => {
        const nodes = ids.map(id => document.getElementById(id));
        if (nodes.some(n => !n)) return false;
        return nodes.every((n, i) => i === 0 ||
          (nodes[i - 1].compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING));
    }""", ids)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_broker_application_errors_are_plain_and_lead_to_their_fields(
        isolated_app, live_server, page_in, lang):
    words = WORDS[lang]
    with isolated_app.app_context():
        from broker_registry import db

        accounts.create_account(db.session(), email="new@example.org", display_name="New",
                                password="correct horse battery staple", role=Role.BROKER)
        db.session().commit()
    page = page_in(lang)
    sign_in(page, live_server.url, "new@example.org")
    page.goto(f"{live_server.url}/brokers/apply")
    page.click("button[value=add_owner]")
    page.fill("#owner_name_1", "Someone")  # a second owner row without a nationality
    _send_unchecked(page)

    summary = page.locator(".error-summary")
    assert summary.locator("h2").inner_text() == words["title"]
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    first = page.evaluate("document.querySelector('main').querySelector('.error-summary, form')"
                          ".tagName")
    assert first == "DIV", "the summary comes before the form"
    links = _summary(page)
    texts = [text for text, _ in links]
    assert words["legal_name"] in texts and words["kind"] in texts and words["country"] in texts
    assert not [t for t in texts if any(w in t for w in API_WORDS)], texts
    assert _in_form_order(page, [target for _, target in links]), links
    assert ("owner_nationality_1" in [target for _, target in links]), links
    # Each problem is said again on its own field.
    assert page.inner_text("#legal_name-error").endswith(words["legal_name"])
    assert page.inner_text("#country-error").endswith(words["country"])
    assert page.locator("#owner_nationality_1-error").count() == 1
    assert page.get_attribute("#country", "aria-describedby") == "country-error"
    # A link takes the reader to its field.
    page.locator(".error-summary a[href='#country']").click()
    assert page.evaluate("document.activeElement.id") == "country"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_licence_and_certificate_errors_say_what_to_enter(isolated_app, live_server, page_in,
                                                        lang):
    words = WORDS[lang]
    _, _, licence = certificate_on(isolated_app, quantity=1)
    page = page_in(lang)
    sign_in(page, live_server.url, "owner@example.org")
    page.goto(f"{live_server.url}/licences/apply")
    page.fill("#goods_description_0", "Pistols")
    page.fill("#goods_quantity_0", "0")
    _send_unchecked(page, "button[name=action][value=submit]")
    texts = [text for text, _ in _summary(page)]
    assert words["date"] in texts and any(words["quantity"] in t for t in texts), texts
    assert not [t for t in texts if any(w in t for w in API_WORDS)], texts
    assert page.inner_text("#goods_quantity_0-error").endswith(words["quantity"])
    assert page.inner_text("#valid_until-error").endswith(words["date"])
    assert _in_form_order(page, [target for _, target in _summary(page)])

    page.context.clear_cookies()
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/licences/{licence['id']}/certificates/new")
    page.fill("#quantity_1", "5000")
    _send_unchecked(page)
    assert page.inner_text("#quantity_1-error").endswith(words["left"])
    assert [target for _, target in _summary(page)] == ["quantity_1"]
