"""The dashboard's charts are legible at every width and in Chinese: text at least 12 px where
shown, short month labels, no label over another (measured in Chromium), a y-axis with
gridlines, and no alarm colour for a count of zero."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

MEASURE = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => getComputedStyle(svg).display !== 'none').map(svg => {
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, css: t.getAttribute('class'),
              px: t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')),
              box: [r.left, r.top, r.right, r.bottom]};
    });
    const overlaps = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      const [l1, t1, r1, b1] = a.box, [l2, t2, r2, b2] = b.box;
      if (Math.min(r1, r2) - Math.max(l1, l2) > 1 && Math.min(b1, b2) - Math.max(t1, t2) > 1)
        overlaps.push([a.text, b.text]);
    }));
    return {id: svg.id, texts, overlaps, grid: svg.querySelectorAll('line.grid').length};
  })"""


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize("width", [1280, 800, 600, 375])
def test_the_charts_are_legible(isolated_app, live_server, browser, locale, width):
    certificate_on(isolated_app)
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "r1@example.org")
    page.goto(f"{live_server.url}/regulator/dashboard")
    charts = page.evaluate(MEASURE)
    assert len(charts) == 3, [c["id"] for c in charts]
    for chart in charts:
        small = [(t["text"], round(t["px"], 1)) for t in chart["texts"] if t["px"] < 12]
        assert small == [], (chart["id"], small)
        assert chart["overlaps"] == [], (chart["id"], chart["overlaps"])
    licences = charts[0]
    assert licences["grid"] >= 2 and sum(t["css"] == "axis" for t in licences["texts"]) >= 2
    months = [t["text"] for t in licences["texts"] if t["css"] == "label"]
    assert months and max(len(m) for m in months) <= 4, months  # "Jan", "12月"
    zero = page.eval_on_selector(".overdue-count",
                                 "e => [e.textContent, getComputedStyle(e).color]")
    assert zero[0] == "0" and zero[1] != "rgb(164, 14, 38)"
    context.close()


COLOURS = """() => {
  const svg = [...document.querySelectorAll('svg.chart')]
    .find(s => getComputedStyle(s).display !== 'none');
  const style = (selector, property) => getComputedStyle(svg.querySelector(selector))[property];
  return {series: [0, 1, 2].map(n => style(`rect.series-${n}`, 'fill')),
          grid: style('line.grid', 'stroke'), axis: style('line.axis', 'stroke'),
          label: style('text.label', 'fill'),
          page: getComputedStyle(document.body).backgroundColor};
}"""


def _luminance(css: str) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= .03928 else ((c + .055) / 1.055) ** 2.4

    r, g, b = (int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return .2126 * linear(r) + .7152 * linear(g) + .0722 * linear(b)


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + .05) / (dark + .05)


def test_the_chart_colours_follow_the_theme(isolated_app, live_server, browser):
    """The charts take every colour from the theme (static/app.css): in dark and high contrast
    the bars, gridlines and labels change with the page, and stay legible on it."""
    certificate_on(isolated_app)
    seen = {}
    for theme in ("light", "dark", "contrast"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "theme", "value": theme, "url": live_server.url}])
        page = context.new_page()
        sign_in(page, live_server.url, "r1@example.org")
        page.goto(f"{live_server.url}/regulator/dashboard")
        assert page.locator("html").get_attribute("data-theme") == theme
        page.wait_for_selector("svg.chart rect.series-2", state="attached")
        seen[theme] = colours = page.evaluate(COLOURS)
        context.close()
        assert len(set(colours["series"])) == 3, (theme, colours)  # the series told apart
        for fill in colours["series"][:2]:  # bars against the page: 3:1 (WCAG 1.4.11)
            assert _contrast(fill, colours["page"]) >= 3, (theme, fill, colours["page"])
        assert _contrast(colours["label"], colours["page"]) >= 4.5, (theme, colours)
        assert _contrast(colours["axis"], colours["page"]) >= 3, (theme, colours)
    assert seen["light"]["series"][0] == "rgb(0, 114, 178)"  # Okabe and Ito's blue
    for theme in ("dark", "contrast"):
        for part in ("series", "grid", "label"):
            assert seen[theme][part] != seen["light"][part], (theme, part, seen)
    assert _luminance(seen["dark"]["page"]) < .05 < _luminance(seen["light"]["page"])
