"""Verification in the browser: broker_registry/static/js/euc1/ in headless Chromium, the whole
check of one genuine certificate (three goods lines) against a revocation state of 10,000
entries, beside a bare WebCrypto ES256 verify of the same signature over the same bytes with
the key already imported (the cryptographic floor in that page).

Timed in the page with performance.now() in rounds that alternate a batch of bare verifies and
a batch of whole checks, sequential calls each, a batch divided by its count (the clock of a
page that is not cross-origin isolated is coarsened to 100 µs); the ratio is the median of the
rounds' ratios, so that a busy moment of the machine weighs on both sides of one. The page's
elapsed time is compared with this process's clock: headless Chromium can run on virtual time,
and then the figures would mean nothing. The load average is kept beside the figures: on a
machine whose cores are all busy, WebCrypto's thread waits for one, and the decoding it would
overlap with (steps 6 to 8) adds up instead.

Beside it: the decoding alone (steps 1 to 8, synchronous), and the library's own inflate
against DecompressionStream("deflate") on the same bytes, the choice the library made.

    .venv/bin/python -m bench.verify_browser      (this part alone; BENCH_SCALE as make bench)
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from certs import pki
from certs.revocation_list import Entry, revocation_payload, sign_revocation_list
from certs.trust_list import Authority, build_trust_list
from tests.certs.factories import NOW, issue, make_authority

from .common import in_child, main, ratio

GOAL = 1.5
ENTRIES = 10_000
ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "broker_registry" / "static"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

SETUP = """async ([text, trustList, root, list, now]) => {
  const euc1 = await import("/js/euc1/index.js");
  const { fromBase64 } = await import("/js/euc1/bytes.js");
  const { read } = await import("/js/euc1/verify.js");
  const { toBeSigned } = await import("/js/euc1/cose.js");
  const { inflate } = await import("/js/euc1/inflate.js");
  const { decodeBase45 } = await import("/js/euc1/base45.js");
  const trust = await euc1.TrustStore.fromTrustList(trustList, fromBase64(root));
  const revocations = new euc1.RevocationState();
  await revocations.apply(fromBase64(list), trust);
  const { message } = read(text);
  const signed = toBeSigned(message);
  const key = trust.candidates(Array.from(message.kid, (b) => b.toString(16).padStart(2, "0"))
    .join(""))[0].key;
  const deflated = decodeBase45(text.slice(5));
  const streamed = async () => new Uint8Array(await new Response(new Blob([deflated]).stream()
    .pipeThrough(new DecompressionStream("deflate"))).arrayBuffer());
  window.bench = {
    verify: () => euc1.verify(text, { trust, revocations, now }),
    bare: () => crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, message.signature,
                                     signed),
    decode: async () => read(text),
    inflate: async () => inflate(deflated),
    stream: streamed,
  };
  const answer = await window.bench.verify();
  return { result: answer.result, entries: revocations.size, goods: answer.content.goods.length,
           same: (await streamed()).length === inflate(deflated).length };
}"""

MEASURE = """async ([names, rounds, repeat]) => {
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const call = window.bench[name];
      const t0 = performance.now();
      for (let i = 0; i < repeat; i++) await call();
      samples[name].push((performance.now() - t0) * 1000 / repeat);
    }
  }
  return { samples, elapsed_ms: performance.now() - started };
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the bench prints its own table
        pass


def _inputs() -> tuple[str, str, str, str]:
    authority = make_authority()
    text = issue(authority)  # the realistic content: three goods lines
    trust_list = build_trust_list(authority=Authority("XX-NCA", "National Control Authority",
                                                      "XX"),
                                  root_cert=authority.root_cert,
                                  signers=[(authority.dsc, "active"),
                                           (authority.old_dsc, "retired")],
                                  issued_at=authority.root_cert.not_valid_before_utc)
    entries = [Entry(os.urandom(16), "revoked", 1, NOW - 86_400, seq)
               for seq in range(1, ENTRIES + 1)]
    payload = revocation_payload(authority="XX-NCA", sequence=ENTRIES, base=0,
                                 issued_at=NOW - 60, next_update=NOW + 3540, entries=entries,
                                 revoked_signers=[])
    signed = sign_revocation_list(payload, signer_key=authority.dsc_key,
                                  signer_cert=authority.dsc)
    b64 = __import__("base64").b64encode
    return (text, json.dumps(trust_list), b64(pki.certificate_der(authority.root_cert)).decode(),
            b64(signed).decode())


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _measure(page, names: list[str], rounds: int, repeat: int) -> tuple[dict, dict]:
    page.evaluate(MEASURE, [names, 1, repeat])  # the JIT warmed up first
    wall = time.perf_counter()
    measured = page.evaluate(MEASURE, [names, rounds, repeat])
    clocks = {"page_ms": measured["elapsed_ms"], "wall_ms": (time.perf_counter() - wall) * 1000}
    return measured["samples"], clocks


def run(sc: dict) -> dict:
    """The figures, measured in a child process: Playwright's sync API cannot start in a process
    that already drives a browser (a test session does)."""
    return in_child("bench.verify_browser", sc, "browser")


def measure(sc: dict) -> dict:
    from playwright.sync_api import sync_playwright

    text, trust_list, root, revocations = _inputs()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    load_before = os.getloadavg()[0]
    rounds, repeat = 4 * sc["rounds"] + 1, max(50, sc["repeat"] // 10)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/favicon.svg")
            ready = page.evaluate(SETUP, [text, trust_list, root, revocations, NOW])
            assert ready == {"result": "VALID", "entries": ENTRIES, "goods": 3, "same": True}
            main, clocks = _measure(page, ["bare", "verify"], rounds, repeat)
            side, _ = _measure(page, ["decode", "inflate", "stream"], sc["rounds"], 20)
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
    bare, full = main["bare"], main["verify"]
    per_round = [v / b for v, b in zip(full, bare, strict=True)]
    return {
        "chromium": version, "payload_chars": len(text), "revocation_entries": ENTRIES,
        "rounds": rounds, "repeat": repeat,
        "bare_us": {"min_us": min(bare), "median_us": _median(bare)},
        "verify_us": {"min_us": min(full), "median_us": _median(full)},
        "ratio_min": ratio(min(full), min(bare)),
        "ratio_median": round(_median(per_round), 3),
        "ratio_of_medians": ratio(_median(full), _median(bare)),
        "decode_us": _median(side["decode"]), "inflate_us": _median(side["inflate"]),
        "decompression_stream_us": _median(side["stream"]),
        "page_clock_ms": round(clocks["page_ms"], 1), "wall_clock_ms": round(clocks["wall_ms"], 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "goal": GOAL, "met": _median(per_round) <= GOAL,
    }


def rows(result: dict) -> list[tuple[str, str, str]]:
    bare, load = result["bare_us"]["median_us"], result["load_average"]
    return [
        ("browser verify / bare WebCrypto ES256, Chromium, 10,000 revocations (median of "
         "interleaved rounds)",
         f"{result['verify_us']['median_us']:.0f} / {bare:.0f} µs = "
         f"{result['ratio_median']:.2f}× (best {result['ratio_min']:.2f}×; load "
         f"{load[0]:.1f}–{load[1]:.1f} on {os.cpu_count()} cores)", f"≤ {GOAL}×"),
        ("browser decoding alone: text to checked claims and content (median)",
         f"{result['decode_us']:.0f} µs", "none: what verify adds to the floor"),
        ("browser inflate: our own / DecompressionStream (median)",
         f"{result['inflate_us']:.0f} / {result['decompression_stream_us']:.0f} µs",
         "none: why the library inflates itself"),
        ("browser timing clock: page / this process (real time, not virtual)",
         f"{result['page_clock_ms']:.0f} / {result['wall_clock_ms']:.0f} ms", "equal"),
    ]


if __name__ == "__main__":
    main(measure, run, rows)
