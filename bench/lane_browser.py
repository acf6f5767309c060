"""The border lane in Chromium: the time from a scanner's Enter to the verdict painted.

The real customs page (/customs/verify, static/customs/lane.js) served by the app on loopback
(SQLite, one genuine certificate), signed in as an officer. For each scan the code is put in
the field, then Enter is pressed; the page records the keydown's time, and the moment after
the next frame once the banner shows the device's verdict (verified in the page), then the
registry's (after POST /customs/verify.json). Timed with the page's own clock
(performance.now()), compared with this process's: real time, not virtual time.

The goal: the device's verdict painted within 100 ms of Enter (an answer that feels
instant), at the median and the 95th percentile; the registry's is reported beside it.

    .venv/bin/python -m bench.lane_browser      (this part alone; BENCH_SCALE as make bench)
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from .common import in_child, main

GOAL_MS = 100.0

WATCH = """() => {
  window.laneTimes = [];
  const banner = document.getElementById("verdict");
  let pending = null;
  const after = (p, name, done) => requestAnimationFrame(() => setTimeout(() => {
    p[name] = performance.now() - p.enter;
    if (done) { window.laneTimes.push(p); pending = null; }
  }, 0));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter") pending = { enter: e.timeStamp };
  }, true);
  new MutationObserver(() => {
    const p = pending;
    if (!p) return;
    if (banner.dataset.source === "device" && !("device" in p)) {
      p.device = null;
      after(p, "device", false);
    }
    if (banner.dataset.source === "registry" && !("registry" in p)) {
      p.registry = null;
      after(p, "registry", true);
    }
  }).observe(banner, { childList: true });
}"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(sc: dict) -> dict:
    """Measured in a child process, as bench.verify_browser is (Playwright's sync API)."""
    return in_child("bench.lane_browser", sc, "lane")


def _registry(folder: Path):
    from dataclasses import replace

    from werkzeug.serving import make_server

    from broker_registry import create_app
    from broker_registry.db.migrate import upgrade
    from broker_registry.settings import settings_from_env
    from tests.customs.live import certificate_on

    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(folder)}, ratelimit_enabled=False)
    app = create_app(replace(settings, database_url=f"sqlite:///{folder / 'lane.sqlite3'}"))
    upgrade(app.extensions["db"].engine)
    certificate, _, _ = certificate_on(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, certificate["qr_payload"]


def measure(sc: dict) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.verify_browser import CHROMIUM, FLAGS

    scans = 10 * sc["rounds"]
    with tempfile.TemporaryDirectory() as folder:
        server, code = _registry(Path(folder))
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page()
                page.goto(f"{url}/login")
                page.fill("#email", "officer@example.org")
                page.fill("#password", "correct horse battery staple")
                with page.expect_navigation():
                    page.locator("main form button[type=submit]").click()
                page.goto(f"{url}/customs/verify")
                page.wait_for_selector("html[data-lane=ready]", timeout=30_000)
                page.evaluate(WATCH)
                wall, page_start = time.perf_counter(), page.evaluate("performance.now()")
                for number in range(1, scans + 2):  # the first warms the JIT, not counted
                    page.fill("#payload", code)
                    page.keyboard.press("Enter")
                    page.wait_for_function("(n) => window.laneTimes.length >= n", arg=number)
                clocks = {"page_ms": page.evaluate("performance.now()") - page_start,
                          "wall_ms": (time.perf_counter() - wall) * 1000}
                times = page.evaluate("window.laneTimes")[1:]
                results = page.evaluate("document.getElementById('verdict').dataset.result")
                version = browser.version
                browser.close()
        finally:
            server.shutdown()
    device = [t["device"] for t in times]
    registry = [t["registry"] for t in times]
    return {"chromium": version, "scans": len(times), "last_result": results,
            "device_ms": {"median": round(statistics.median(device), 1),
                          "p95": round(_percentile(device, .95), 1)},
            "registry_ms": {"median": round(statistics.median(registry), 1),
                            "p95": round(_percentile(registry, .95), 1)},
            "page_clock_ms": round(clocks["page_ms"], 1),
            "wall_clock_ms": round(clocks["wall_ms"], 1),
            "goal_ms": GOAL_MS, "met": _percentile(device, .95) <= GOAL_MS}


def rows(result: dict) -> list[tuple[str, str, str]]:
    device, registry = result["device_ms"], result["registry_ms"]
    return [
        ("lane: a scanner's Enter to the device's verdict painted, Chromium (median, p95; "
         f"{result['scans']} scans)",
         f"{device['median']:.0f} / {device['p95']:.0f} ms = "
         f"{device['p95'] / result['goal_ms']:.2f} of the budget", f"≤ {result['goal_ms']:.0f} ms"),
        ("lane: Enter to the registry's verdict painted (median, p95; loopback, SQLite)",
         f"{registry['median']:.0f} / {registry['p95']:.0f} ms", "none: the device answers first"),
        ("lane timing clock: page / this process (real time, not virtual)",
         f"{result['page_clock_ms']:.0f} / {result['wall_clock_ms']:.0f} ms", "equal"),
    ]


if __name__ == "__main__":
    main(measure, run, rows)
