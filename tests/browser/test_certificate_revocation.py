"""In Chromium, in both languages and at phone width: a regulator revokes a certificate through
a confirmation page that states what revoking does before anything is done; a missing reason is
said first, in an error summary that takes the focus and links to the field; "Yes, revoke"
revokes, "Cancel" leaves the certificate valid. axe-core finds nothing serious."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_journeys import _axe
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"missing": "Enter", "headline": "This revokes 1 certificate.",
           "never": "never valid again", "code": "issued in error", "yes": "Yes, revoke",
           "cancel": "Cancel and go back", "done": "The certificate is revoked",
           "title": "Are you sure you want to revoke"},
    "zh": {"missing": "请", "headline": "此操作将吊销 1 份证书。", "never": "永不再有效",
           "code": "误签", "yes": "是，吊销", "cancel": "取消并返回",
           "done": "证书已吊销", "title": "确定要吊销"},
}


def _send(page, selector: str) -> None:
    """Submit as a browser would without its own check of required fields: the server's
    answer is what is tested."""
    page.eval_on_selector(selector, "form => form.noValidate = true")
    with page.expect_navigation():
        page.locator(f"{selector} button[type=submit]").click()


@pytest.mark.parametrize("lang, width", [("en", 1280), ("zh", 320)])
def test_revoking_a_certificate_is_confirmed_first(isolated_app, live_server, page, lang,
                                                   width):
    certificate, _, _ = certificate_on(isolated_app)
    number, words = certificate["number"], WORDS[lang]
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    sign_in(page, live_server.url, "r1@example.org")
    case = f"{live_server.url}/certificates/{number}"
    page.goto(case)
    form = "form[action$='/revoke']"

    _send(page, form)  # no reason: the case page again, the problem said first
    summary = page.locator(".error-summary")
    assert summary.count() == 1 and words["missing"] in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    # the form sent is the one whose field takes the plain id the summary links to
    assert summary.locator("a").first.get_attribute("href") == "#reason"
    assert page.get_attribute("#reason", "aria-describedby") == "reason-error"
    assert words["missing"] in page.inner_text("#reason-error")
    assert page.locator(".warning-text").count() == 0  # nothing asked, nothing done

    page.fill("#reason", "Issued against the wrong consignee.")
    page.select_option("#reason_code", "issued_in_error")
    _send(page, form)
    assert words["title"] in page.locator("h1").inner_text() and number in page.inner_text("h1")
    warning = page.locator(".warning-text").inner_text()
    assert words["headline"] in warning
    assert words["never"] in page.inner_text(".consequences")
    facts = page.inner_text("dl.facts")
    assert "Issued against the wrong consignee." in facts and words["code"] in facts
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _axe(page, "confirm-revoke-certificate", lang)

    with page.expect_navigation():  # cancel: the certificate stays valid
        page.get_by_role("link", name=words["cancel"]).click()
    assert page.url == case and page.locator("h1 .status.tag-ok").count() == 1

    page.fill("#revoke-reason", "Issued against the wrong consignee.")
    _send(page, form)
    with page.expect_navigation():
        page.get_by_role("button", name=words["yes"]).click()
    assert page.url == case
    assert words["done"] in page.inner_text("main")
    assert page.locator("h1 .status.tag-bad").count() == 1
    assert page.locator(form).count() == 0  # a revoked certificate offers no second revocation
