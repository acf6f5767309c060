"""A real Chromium (Debian's, driven by Playwright) against the app served over loopback.

The tests drive Chromium's headless shell (Debian's chromium-headless-shell: the same Blink
and V8 as `chromium`, without the desktop browser around them; Playwright's own choice for
headless runs). It took a third less CPU than the full browser in headless mode, and the
browser tests are half of the suite's. A test that needs what only the full browser has (its
installability checks) asks for `full_browser`."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HEADLESS_SHELL = os.environ.get("CHROMIUM_HEADLESS_SHELL",
                                "/usr/lib/chromium/chromium-headless-shell")
SERIOUS = {"serious", "critical"}
# WCAG 2.1 A and AA. Only violations are gathered: axe then skips making selectors for every
# node that passed, which was most of its time on our pages.
AXE = """async () => (await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations']
  })).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _launch(playwright, executable: str, package: str, *args: str):
    if not shutil.which(executable):
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install {package} "
                    f"(looked for {executable})")
    return playwright.chromium.launch(executable_path=executable, args=[*FLAGS, *args])


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = _launch(playwright_instance, HEADLESS_SHELL, "chromium-headless-shell")
    yield browser
    browser.close()


@pytest.fixture
def full_browser(playwright_instance):
    """The whole Chromium, headless: for what the headless shell leaves out."""
    browser = _launch(playwright_instance, CHROMIUM, "chromium")
    yield browser
    browser.close()


def launch_shell(playwright, *args: str):
    """Another headless shell, with flags of its own (a fake camera): close it after."""
    return _launch(playwright, HEADLESS_SHELL, "chromium-headless-shell", *args)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture
def pages(browser):
    """Fresh pages, each in a context of its own, closed after the test: pages(locale=...,
    width=..., script=...)."""
    contexts = []

    def make(locale: str = "en-GB", width: int = 1280, script: bool = True):
        context = browser.new_context(locale=locale, java_script_enabled=script,
                                      viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, base_url: str, email: str, password: str = "correct horse battery staple"):
    page.goto(f"{base_url}/login")
    page.fill("#email", email)  # by id: the labels are in the page's language
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _axe_url() -> str:
    """axe's URL with its version, as the app links its own files: the browser keeps it for
    the context's life instead of asking the server for 550 KB again on every page."""
    from broker_registry import PROJECT_ROOT
    from broker_registry.web.static_files import file_version

    name = "vendor/axe.min.js"
    return f"/static/{name}?v={file_version(PROJECT_ROOT / 'broker_registry' / 'static', name)}"


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it stands (axe
    added to the page when it has not been yet)."""
    if not page.evaluate("typeof axe === 'object'"):
        page.add_script_tag(url=_axe_url())
    return [v for v in page.evaluate(AXE) if v["impact"] in SERIOUS]


def responsive_table(page) -> tuple[str, list[str], list[str]]:
    """A responsive table on a phone: the first row's display (a card is "block"), the label
    each of its cells shows before itself, and the table's column headers."""
    card = page.locator("table.responsive tbody tr").first
    display = card.evaluate("tr => getComputedStyle(tr).display")
    labels = card.evaluate("""tr => [...tr.children].map(c =>
        getComputedStyle(c, '::before').content.replace(/"/g, ''))""")
    headers = page.eval_on_selector_all("table.responsive thead th",
                                        "ths => ths.map(th => th.textContent.trim())")
    return display, labels, headers
