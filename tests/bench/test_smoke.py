"""The benchmarks once, at a tiny size: they run and produce every figure. Not a timed test."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from bench import dataset, run
from bench.common import scale

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture
def bench_env(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "ROOT", tmp_path)
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        server, name = url.rsplit("/", 1)
        monkeypatch.setattr(dataset, "PG_SERVER", server)
        # named after this run's test database, so that two runs on one server never drop
        # each other's benchmark databases
        monkeypatch.setattr(dataset, "DB_PREFIX", f"{name.split('?')[0]}_bench_")
    return ["sqlite", "postgresql"] if url else ["sqlite"]


def test_every_benchmark_produces_its_figures(bench_env):
    # The two benchmarks in Chromium are run, at this same size, and their figures and rows
    # checked by test_verify_browser.py and test_lane_browser.py: not a second time here.
    results = run.run(scale("tiny"), bench_env, out=None, browsers=False)
    offline = results["offline"]
    assert offline["bare_us"]["median_us"] > 0 and offline["ratio_median"] > 0
    for kind in bench_env:
        load = results["load"][kind]
        assert load["verify"]["requests"] > 0 and load["healthz"]["rps"] > 0
        assert {"ratio", "met"} <= load.keys() and load["verify"]["errors"] == 0
        assert load["readyz"]["errors"] == 0
        assert load["round_trip_ratio"] == round(load["readyz"]["rps"] / load["healthz"]["rps"], 3)
        assert results["cached_qr"][kind]["slowdown"] > 0
        assert results["not_modified"][kind]["ratio"] > 0
    assert results["issuing"]["issue_ms"] > 0
    if "postgresql" in bench_env:
        assert set(results["growth"]["requests"]) == {
            "verify", "certificate page", "licence queue", "broker queue", "revocation delta"}
        assert results["revocations"]["delta_bytes"][100] > 0
        assert not results["revocations"]["rebuilt_by_a_request"]
        assert results["shipments"]["same certificate"]["exact"]
        assert results["shipments"]["16 certificates"]["exact"]
    assert offline["floor_ratio"] > 1 and offline["decoders_us"]["cbor"] > 0
    assert offline["unchecked_ratio"] > 0  # a figure, not a timing: tiny runs are noisy
    table = run.table(results)
    assert "| measure | result | goal |" in table
    assert "one round trip alone" in table and "offline floor" in table
    assert "offline unchecked verifier" in table
    assert "| name matching on the labelled pairs | recall " in table
    assert results["names"]["speed"]["screen_ms"] > 0
    # the table made again from results.json (text keys) reads the same
    assert run.table(json.loads(json.dumps(results, default=str))) == table
    if "postgresql" in bench_env:
        delta = results["revocations"]["delta_bytes"][100]
        assert f"| revocation delta of 100 changes | {delta:,} B" in table


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed: make bench uses "
                    "the Python load generator, tested below")
def test_wrk_s_figures_are_read(live_server):
    from bench.load import Request, drive

    figures = drive(live_server.url, Request("/healthz"), 1, connections=2)
    assert figures["driver"] == "wrk" and figures["requests"] > 0 and figures["rps"] > 0
    assert figures["errors"] == 0 and 0 < figures["p50_ms"] <= figures["p99_ms"]


def test_the_python_load_generator_works_without_wrk(live_server):
    from bench.load import Request, _threads

    figures = _threads(live_server.url, Request("/healthz"), 0.5, 2)
    assert figures["requests"] > 0 and figures["rps"] > 0
    assert figures["errors"] == 0


def test_the_unchecked_verifier_verifies_and_refuses_a_forgery():
    """The floor it measures is a real verification, not a no-op."""
    from cryptography.exceptions import InvalidSignature

    from bench.verify_offline import unchecked
    from certs.qrtext import decode_qr_text, encode_qr_text
    from tests.certs.factories import issue, make_authority

    authority = make_authority()
    text = issue(authority)
    public_key = authority.dsc.public_key()
    unchecked(text, public_key)
    cose = bytearray(decode_qr_text(text))
    cose[-1] ^= 1  # the last byte of the signature
    with pytest.raises(InvalidSignature):
        unchecked(encode_qr_text(bytes(cose)), public_key)
