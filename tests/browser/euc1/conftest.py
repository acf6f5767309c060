"""The browser verifier (broker_registry/static/js/euc1/) in a real Chromium: the app served
over loopback, one page per module that imports the library as the customs pages will."""

from __future__ import annotations

import base64
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import create_app, settings_from_env

# In the page: the library, and an answer in the published vectors' terms (every parameter but
# `detail`; content only when shown), with the kid and the whole readable content beside it.
SETUP = """async () => {
  window.euc1 = await import("/static/js/euc1/index.js");
  const bytes = await import("/static/js/euc1/bytes.js");
  window.fromBase64 = bytes.fromBase64;
  window.answer = (r) => {
    const { detail, ...params } = r.reasonParams;
    return { result: r.result, reason_code: r.reasonCode, reason_params: params,
             warnings: r.warnings, content_number: r.content ? r.content.number : null,
             cti_hash: r.content ? r.ctiHash : null, kid: r.kid, content: r.content };
  };
}"""


@pytest.fixture(scope="module")
def registry_url(tmp_path_factory, data_dir):
    """The app, serving its static folder and the published vectors (no database needed)."""
    folder = tmp_path_factory.mktemp("euc1")
    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(data_dir)}, testing=True,
                                 ratelimit_enabled=False,
                                 database_url=f"sqlite:///{folder / 'unused.sqlite3'}")
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True,
                              kwargs={"poll_interval": 0.02})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def verifier(browser, registry_url):
    """A page of the registry's origin with the library imported as window.euc1."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(f"{registry_url}/api/v1/spec/vectors")
    page.evaluate(SETUP)
    yield page
    context.close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
