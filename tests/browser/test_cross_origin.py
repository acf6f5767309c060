"""A verifier served from another origin fetches the trust list and the revocation list in a
real Chromium: two servers on two ports (two origins), the registry and a plain page.

If-None-Match is not a CORS-safelisted header, so Chromium sends a preflight OPTIONS first;
the registry must grant it, and expose ETag and Date to the page. A resource that needs a
login stays closed to the other origin.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from werkzeug.serving import make_server

from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><meta charset="utf-8"><title>Another state's verifier</title>
<script>
const registry = %(registry)r;
async function twice(path) {
  const first = await fetch(registry + path, {cache: "no-store"});
  const etag = first.headers.get("ETag");
  const body = await first.arrayBuffer();
  const again = await fetch(registry + path, {cache: "no-store",
                                              headers: {"If-None-Match": etag}});
  return {status: first.status, etag: etag, date: first.headers.get("Date"),
          bytes: body.byteLength, type: first.headers.get("Content-Type"),
          again: again.status};
}
async function closed(path, options) {
  try { await fetch(registry + path, options); return "readable"; }
  catch (error) { return "blocked"; }
}
async function read(path) {
  try { return await twice(path); } catch (error) { return {error: String(error)}; }
}
(async () => {
  window.results = {
    trust: await read("/api/v1/trust-list"),
    revocations: await read("/api/v1/revocations"),
    me: await closed("/api/v1/me", {headers: {"Authorization": "Bearer %(token)s"}}),
    verify: await closed("/api/v1/verify", {method: "POST",
      headers: {"Authorization": "Bearer %(token)s", "Content-Type": "application/json"},
      body: JSON.stringify({payload: "EUC1:"})}),
  };
})();
</script>"""


class _Recorded:
    """The registry's WSGI app, noting the method and path of every request it answers."""

    def __init__(self, app):
        self.app, self.seen = app, []

    def __call__(self, environ, start_response):
        self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        return self.app(environ, start_response)


def _serve(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True,
                              kwargs={"poll_interval": 0.02})
    thread.start()
    return thread


def test_a_page_on_another_origin_reads_the_lists_with_if_none_match(isolated_app, page):
    _, tokens, _ = certificate_on(isolated_app)
    recorded = _Recorded(isolated_app)
    registry = make_server("127.0.0.1", 0, recorded, threaded=True)
    registry_url = f"http://127.0.0.1:{registry.server_port}"
    html = (PAGE % {"registry": registry_url, "token": tokens["officer"]}).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threads = [_serve(registry), _serve(other)]
    try:
        page.goto(f"http://127.0.0.1:{other.server_port}/")
        page.wait_for_function("window.results !== undefined", timeout=20_000)
        results = page.evaluate("window.results")
    finally:
        registry.shutdown()
        other.shutdown()
        for thread in threads:
            thread.join(timeout=5)
    for name in ("trust", "revocations"):
        fetched = results[name]
        assert fetched.get("status") == 200 and fetched["bytes"] > 0, (name, fetched)
        assert fetched["etag"] and fetched["date"], (name, fetched)  # exposed to the page
        assert fetched["again"] == 304, (name, fetched)
    assert results["trust"]["type"].startswith("application/json")
    assert results["revocations"]["type"] == "application/cose"
    assert ("OPTIONS", "/api/v1/trust-list") in recorded.seen  # the preflight, granted
    assert ("OPTIONS", "/api/v1/revocations") in recorded.seen
    assert results["me"] == results["verify"] == "blocked"
