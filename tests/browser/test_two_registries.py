"""Two registries, each with its own authority code, database, keys, server and worker,
federated as docs/spec/federation.md says: B trusts A by URL and fingerprint, verifies A's
certificates online, offline after `sync`, refuses a third authority's and one that claims A
but is signed under another root, sees A's revocation after its worker's next refresh, and
reports a shipment to A, which records it once though the first sends fail. (Among the
browser tests for its last check, in Chromium, which shares their one Playwright.)"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from broker_registry import create_app
from broker_registry.settings import settings_from_env
from certs import pki
from certs.euc import sign_certificate
from certs.verify import read
from tests.browser.conftest import sign_in
from tests.browser.test_lane import open_lane, scan
from tests.browser.test_lane_offline import KEPT
from tests.conftest import _database_beside, _database_name, _on_server, backends
from tests.reliability.gunicorn import BIN, ROOT, Gunicorn, app_env, cli
from tests.reliability.world import PASSWORD, build

pytestmark = [pytest.mark.server, pytest.mark.browser]

IN_THE_BROWSER = """async (texts) => {
  const euc1 = await import("/static/js/euc1/index.js");
  const { fromBase64 } = await import("/static/js/euc1/bytes.js");
  const response = await fetch("/customs/trust.json");
  const federation = await euc1.Federation.fromBundle(await response.json(), fromBase64);
  const out = [];
  for (const text of texts) {
    const r = await euc1.verifyFederated(text, federation);
    out.push([r.result, r.reasonCode, r.warnings.map((w) => w.code)]);
  }
  return { status: response.status, held: [...federation.authorities.keys()], out };
}"""


class Registry:
    def __init__(self, tmp: Path, code: str, database_url: str | None = None):
        self.code, self.data = code, tmp / code
        self.data.mkdir()
        url = database_url or f"sqlite:///{self.data / 'registry.sqlite3'}"
        self.env = app_env(self.data, url, BROKER_REGISTRY_AUTHORITY_CODE=code,
                           BROKER_REGISTRY_AUTHORITY_NAME=f"Authority {code}",
                           BROKER_REGISTRY_FEDERATION_REFRESH="1",
                           BROKER_REGISTRY_PUBLISH_LAG="2")
        cli(self.env, "init")
        self.app = create_app(replace(settings_from_env(self.env), ratelimit_enabled=False))
        self.server = Gunicorn(self.env, self.data / "server.log", workers=1, threads=4)
        self.worker: subprocess.Popen | None = None

    def start_worker(self) -> None:
        log = open(self.data / "worker.log", "a")  # noqa: SIM115 - held by the process
        self.worker = subprocess.Popen([str(BIN / "broker-registry"), "worker"], env=self.env,
                                       cwd=ROOT, stdout=log, stderr=log,
                                       start_new_session=True)

    def stop(self) -> None:
        """Everything stopped, whatever fails on the way: a run that left a worker and its
        server behind had them take CPU from every test after it."""
        try:
            self.server.kill()
        finally:
            try:
                if self.worker is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.worker.pid, signal.SIGTERM)
                    try:
                        self.worker.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        os.killpg(self.worker.pid, signal.SIGKILL)
                        raise
            finally:
                self.app.extensions["db"].dispose()

    def call(self, method, path, json=None, headers=None, **kwargs):
        return requests.request(method, self.server.url + path, json=json, headers=headers,
                                timeout=30, **kwargs)


def _until(check, what: str, timeout: float = 40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


def _forged(payload: str, iss: str, tmp: Path) -> str:
    """A's certificate content signed again under a third root, C's, claiming `iss`."""
    root_key, dsc_key = pki.generate_key(), pki.generate_key()
    root = pki.make_root(root_key, common_name="CC-NCA Root CA", country="CC",
                         organization="Authority CC-NCA")
    dsc = pki.make_dsc(root_key, root, dsc_key.public_key(), common_name="CC-NCA signer")
    claims = read(payload).claims
    return sign_certificate(iss=iss, iat=int(time.time()) - 10, nbf=int(time.time()) - 10,
                            exp=claims.exp, cti=os.urandom(16), content=claims.content,
                            signer_key=dsc_key, signer_cert=dsc)


@pytest.fixture(params=backends())
def registries(request, tmp_path):
    """Two registries on SQLite files, or on two PostgreSQL databases of their own."""
    made, databases = [], {}
    base = os.environ.get("TEST_DATABASE_URL")
    if request.param == "postgresql":
        for code in ("AA-NCA", "BB-NCA"):
            name = f"{_database_name(base)}_{code.lower().replace('-', '_')}"
            databases[code] = _database_beside(base, name)
    try:
        for code in ("AA-NCA", "BB-NCA"):
            made.append(Registry(tmp_path, code, databases.get(code)))
        yield made
    finally:
        with contextlib.ExitStack() as cleanup:  # each runs though one before it fails
            for url in databases.values():
                cleanup.callback(_on_server, base,
                                 f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)')
            for registry in made:
                cleanup.callback(registry.stop)


def on_the_lane(page, b: Registry, payload: str, forged_under: dict[str, str]) -> None:
    """B's officer (signed in) on the lane page: A's certificate online, then offline after
    one visit, on the device; left offline, A's certificate verified, its form open."""
    abroad = ("Issued by Authority AA-NCA (AA-NCA): the quantities left are known only to "
              "the issuing registry.")
    open_lane(page, b.server.url)
    online = scan(page, payload, 1)
    assert online["result"] == "VALID" and abroad in online["text"], online
    assert "line 1: 50 licensed" in online["text"]
    page.wait_for_selector(KEPT, state="attached", timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-lane=ready]", timeout=30_000)
    assert page.evaluate("navigator.onLine") is False
    mismatch = scan(page, forged_under["BB-NCA"], 1, source="device")
    assert mismatch["result"] == "UNKNOWN_SIGNER", mismatch
    assert ("The certificate names the authority AA-NCA but is signed by a key of BB-NCA: "
            "refused.") in mismatch["text"]
    unknown = scan(page, forged_under["CC-NCA"], 2, source="device")
    assert unknown["result"] == "UNKNOWN_SIGNER", unknown  # A holds no such signer
    device = scan(page, payload, 3, source="device")
    assert device["result"] == "VALID" and abroad in device["text"], device
    assert "Checked on this device" in device["text"]


def test_two_registries_federate(registries, tmp_path, page, browser):
    a, b = registries

    def over_http(registry):
        def call(method, path, json=None, headers=None):
            response = registry.call(method, path, json, headers)
            return response.status_code, response.json()
        return call

    for registry in (a, b):
        registry.server.start()
        registry.start_worker()
    world_a = build(a.app, certificates=1, quantity=50, call=over_http(a))
    world_b = build(b.app, certificates=1, quantity=10, call=over_http(b))
    number = world_a.numbers[0]
    payload = world_a.payloads[number]
    admin_b = world_b.headers("r1")  # replaced below by an admin's token
    with b.app.app_context():
        from broker_registry import db
        from broker_registry.accounts import service as accounts
        from broker_registry.permissions import Role

        session = db.session()
        admin = accounts.create_account(session, email="admin@b.example", password=PASSWORD,
                                        display_name="admin", role=Role.ADMIN)
        admin_b = {"Authorization": f"Bearer {accounts.issue_token(session, admin)[0]}"}
        session.commit()
    customs_b = world_b.headers("officer")

    # A publishes its metadata; its fingerprint is what A's admin gives B out of band.
    metadata = a.call("GET", "/.well-known/euc1-federation")
    assert metadata.status_code == 200 and metadata.headers["Access-Control-Allow-Origin"] == "*"
    root_der = (a.data / "root.der")
    cli(a.env, "keys", "export-root", str(root_der))
    fingerprint = hashlib.sha256(root_der.read_bytes()).hexdigest()
    assert metadata.json()["root"]["sha256"] == fingerprint
    assert metadata.json()["authority"]["code"] == "AA-NCA"

    # Before B trusts A, A's certificate names an authority B does not know.
    answer = b.call("POST", "/api/v1/verify", {"payload": payload}, customs_b).json()
    assert (answer["result"], answer["reason_code"]) == ("UNKNOWN_SIGNER", "authority_unknown")

    # A wrong fingerprint is refused and adds nothing.
    wrong = b.call("POST", "/api/v1/federation/authorities",
                   {"base_url": a.server.url, "fingerprint": "0" * 64}, admin_b)
    assert wrong.status_code == 422 and "fingerprint" in wrong.text
    assert b.call("GET", "/api/v1/federation/authorities", headers=admin_b).json()["items"] == []
    preview = b.call("POST", "/api/v1/federation/authorities", {"base_url": a.server.url},
                     admin_b).json()
    assert preview == {"code": "AA-NCA", "name": "Authority AA-NCA",
                       "base_url": a.server.url, "fingerprint": fingerprint, "added": False}
    added = b.call("POST", "/api/v1/federation/authorities",
                   {"base_url": a.server.url, "fingerprint": fingerprint.upper()}, admin_b)
    assert added.status_code == 201, added.text

    # B's worker fetches A's lists, verified under A's root.
    _until(lambda: b.call("GET", "/api/v1/federation/authorities", headers=admin_b)
           .json()["items"][0]["refreshed_at"], "B's first refresh of A's lists")
    answer = b.call("POST", "/api/v1/verify", {"payload": payload}, customs_b).json()
    assert answer["result"] == "VALID", answer
    assert answer["certificate"]["issuer"] == "AA-NCA"
    assert {"code": "issued_abroad", "params": {"authority": "AA-NCA",
                                                "name": "Authority AA-NCA"}} \
        in answer["warning_codes"]
    assert answer["remaining"] == []

    # In the browser of B's customs officer: both roots, from B's bundle.
    sign_in(page, b.server.url, "officer@example.org")
    seen = page.evaluate(IN_THE_BROWSER, [payload, world_b.payloads[world_b.numbers[0]],
                                          _forged(payload, "CC-NCA", tmp_path)])
    assert seen["status"] == 200 and seen["held"] == ["BB-NCA", "AA-NCA"]
    assert seen["out"] == [["VALID", "valid", ["issued_abroad"]], ["VALID", "valid", []],
                           ["UNKNOWN_SIGNER", "authority_unknown", []]]

    # A third authority, never added: UNKNOWN_SIGNER; claiming A under C's root: refused.
    third = b.call("POST", "/api/v1/verify", {"payload": _forged(payload, "CC-NCA", tmp_path)},
                   customs_b).json()
    assert (third["result"], third["reason_code"]) == ("UNKNOWN_SIGNER", "authority_unknown")
    claimed = b.call("POST", "/api/v1/verify", {"payload": _forged(payload, "AA-NCA", tmp_path)},
                     customs_b).json()
    assert (claimed["result"], claimed["reason_code"]) == ("UNKNOWN_SIGNER", "signer_unknown")
    # Claiming A, signed by B's own signer: a signer B knows, but not one of A's.
    with b.app.app_context():
        from broker_registry.keys.authority import key_store
        from broker_registry.keys.service import active_signer

        signer = active_signer(db.session(), key_store())
        db.session().rollback()
    claims = read(payload).claims
    under_b = sign_certificate(iss="AA-NCA", iat=int(time.time()) - 10,
                               nbf=int(time.time()) - 10, exp=claims.exp, cti=os.urandom(16),
                               content=claims.content, signer_key=signer.private_key,
                               signer_cert=signer.certificate)
    mismatch = b.call("POST", "/api/v1/verify", {"payload": under_b}, customs_b).json()
    assert (mismatch["result"], mismatch["reason_code"]) == ("UNKNOWN_SIGNER",
                                                             "authority_mismatch")
    assert mismatch["reason_params"]["signer_authority"] == "BB-NCA"
    own = b.call("POST", "/api/v1/verify",
                 {"payload": world_b.payloads[world_b.numbers[0]]}, customs_b).json()
    assert own["result"] == "VALID" and own["warning_codes"] == []

    # Offline at a border post of B: sync from B alone brings A's lists too.
    folder = tmp_path / "post"
    b_root = tmp_path / "b-root.pem"
    cli(b.env, "keys", "export-root", str(b_root))
    said = cli(b.env, "sync", "--server", b.server.url, "--dir", str(folder), "--root",
               str(b_root))
    assert "partner AA-NCA: full revocation list" in said, said
    offline = subprocess.run([str(BIN / "broker-registry"), "verify", payload, "--dir",
                              str(folder)], env=b.env, cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert offline.stdout.startswith("VALID") and "issued_abroad" in offline.stdout
    forged = subprocess.run([str(BIN / "broker-registry"), "verify",
                             _forged(payload, "AA-NCA", tmp_path), "--dir", str(folder)],
                            env=b.env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert forged.returncode == 1 and forged.stdout.startswith("UNKNOWN_SIGNER")

    # B records a shipment against A's certificate while A cannot be reached.
    a.server.kill()
    shipped = b.call("POST", "/api/v1/federation/shipments",
                     {"payload": payload, "border_post": "BB Bridge",
                      "lines": [{"line": 1, "quantity": 20, "markings": ["SN-1", "SN-2"]}]},
                     customs_b)
    assert shipped.status_code == 201, shipped.text
    notice_id = shipped.json()["notice_id"]
    # B's worker tries, fails, and A's lists go stale; nothing of A's held lists changes.
    _until(lambda: b.call("GET", "/api/v1/federation/authorities", headers=admin_b)
           .json()["items"][0]["stale_since"], "A shown stale while unreachable")
    with b.app.app_context():
        from sqlmodel import select

        from broker_registry.federation.models import OutgoingNotice

        _until(lambda: db.session().exec(select(OutgoingNotice)).one().attempts >= 1
               or db.session().rollback(), "a failed first send")
        db.session().rollback()
    # A refuses notices from an authority it does not trust; then trusts B, by the command
    # line, with the fingerprint B's admin gave out of band.
    with b.app.app_context():
        body = db.session().exec(select(OutgoingNotice)).one().body
        db.session().rollback()
    a.server.start()
    untrusted = a.call("POST", "/api/v1/federation/notices", data=body,
                       headers={"Content-Type": "application/cose"})
    assert untrusted.status_code == 403 and "BB-NCA" in untrusted.json()["detail"]
    a.server.kill()
    b_der = tmp_path / "b-root.der"
    cli(b.env, "keys", "export-root", str(b_der))
    said = cli(a.env, "federation", "add", b.server.url, "--fingerprint",
               hashlib.sha256(b_der.read_bytes()).hexdigest())
    assert "trusted BB-NCA" in said
    a.server.start()
    regulator_a = world_a.headers("r1")

    def reported():
        body = a.call("GET", f"/api/v1/certificates/{number}", headers=regulator_a).json()
        return body["reported_crossings"]

    crossings = _until(reported, "A records B's notice", timeout=60)
    assert crossings == [{"authority": "BB-NCA", "border_post": "BB Bridge",
                          "crossed_at": crossings[0]["crossed_at"],
                          "lines": [{"line": 1, "quantity": 20,
                                     "markings": ["SN-1", "SN-2"]}],
                          "notice_id": notice_id, "over_draw": False}]
    detail = a.call("GET", f"/api/v1/certificates/{number}", headers=regulator_a)
    assert detail.status_code == 200

    # A replayed notice: same answer, recorded once; an altered one: refused.
    replay = a.call("POST", "/api/v1/federation/notices", data=body,
                    headers={"Content-Type": "application/cose"})
    assert replay.status_code == 200 and replay.json()["status"] == "already_recorded"
    altered = body[:-1] + bytes([body[-1] ^ 1])
    refused = a.call("POST", "/api/v1/federation/notices", data=altered,
                     headers={"Content-Type": "application/cose"})
    assert refused.status_code == 403, refused.text
    assert len(reported()) == 1

    # B's lane page holds A beside B: A's certificate verifies on the device and online,
    # naming A; after one visit, offline too; one claiming A under another root is refused.
    on_the_lane(page, b, payload, forged_under={"BB-NCA": under_b,
                                                "CC-NCA": _forged(payload, "AA-NCA", tmp_path)})
    # Recorded offline on B's lane, sent when the connection returns; A shows it once.
    page.get_by_label("Border post").fill("BB Lane")
    page.get_by_label("Quantity crossing").fill("3")
    page.get_by_label("Markings (serial numbers), one per line").fill("SN-L1")
    page.get_by_role("button", name="Record shipment").click()
    page.get_by_text("No connection: the shipment against").wait_for()
    # the list of what waits is drawn once the device has kept it, just after the banner
    page.locator("#lane-queue").get_by_text("waiting to send").wait_for(timeout=10_000)
    page.context.set_offline(False)
    page.locator("#lane-queue").wait_for(state="hidden", timeout=30_000)
    crossings = _until(lambda: (lambda c: c if len(c) == 2 else None)(reported()),
                       "A records the lane's shipment", timeout=60)
    lane = [c for c in crossings if c["border_post"] == "BB Lane"]
    assert [(c["authority"], c["lines"]) for c in lane] == [
        ("BB-NCA", [{"line": 1, "quantity": 3, "markings": ["SN-L1"]}])]
    seen_at_a = browser.new_context(locale="en-GB").new_page()
    sign_in(seen_at_a, a.server.url, "r1@example.org")
    seen_at_a.goto(f"{a.server.url}/certificates/{number}")
    told = seen_at_a.inner_text("ul.reported")
    assert told.count("BB Lane") == 1 and told.count("reported by authority BB-NCA") == 2
    # Tracing at A: the crossing B reported, by B.
    seen_at_a.goto(f"{a.server.url}/customs/trace?marking=SN-L1")
    traced = seen_at_a.inner_text("table.reported")
    assert "BB Lane" in traced and "reported by BB-NCA" in traced and number in traced
    seen_at_a.context.close()

    # A revokes its certificate: B answers REVOKED after its worker's next refresh.
    revoked = a.call("POST", f"/api/v1/certificates/{number}/revoke",
                     {"reason": "diverted", "reason_code": "diversion_suspected"}, regulator_a)
    assert revoked.status_code == 200, revoked.text
    answer = _until(lambda: (lambda j: j if j["result"] == "REVOKED" else None)(
        b.call("POST", "/api/v1/verify", {"payload": payload}, customs_b).json()),
        "B sees A's revocation", timeout=60)
    assert answer["reason_code"] == "revoked"
    assert answer["reason_params"]["revocation_reason"] == 8
