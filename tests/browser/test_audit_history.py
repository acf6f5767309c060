"""The audit log reads as history at 1280 px: names and references rather than ids, changes
as before -> after, a filter by a person's name, and nothing cut off or scrolled sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_log_reads_as_history_at_1280(isolated_app, live_server, browser, locale):
    certificate, _, licence = certificate_on(isolated_app)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/admin/audit?limit=50")
    main = page.inner_text("main")
    assert "Nordlicht Handelsvermittlung GmbH" in main  # the broker by name
    assert "BL-XX-" in main and "→" in main  # the licence by number, changes as before -> after
    assert '{"' not in main  # no raw JSON
    clipped = page.evaluate("""() => [...document.querySelectorAll('main table td')]
        .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.trim())""")
    assert clipped == []
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
        document.querySelector('main table').getBoundingClientRect().right,
        document.querySelector('main').getBoundingClientRect().right]""")
    assert widths[0] <= 1280 and widths[1] <= widths[2] + 1, widths
    page.fill("#person", "r2")  # the second regulator, by (part of) their name
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("table.history tbody tr[data-seq]")
    assert rows.count() >= 1
    assert all("r2" in text for text in rows.locator("td:nth-child(2)").all_inner_texts())
    context.close()
