"""`make bench`: every benchmark once, the table printed, bench/results.json written.

BENCH_SCALE=full (the default: a million entries and certificates), small, or tiny (the CI
smoke test). BENCH_BACKENDS=sqlite,postgresql chooses where the online benchmarks run."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import dataset as datasets
from . import (
    growth,
    issuing,
    lane_browser,
    load,
    name_matching,
    revocations,
    shipments,
    verify_browser,
    verify_offline,
)
from .common import machine, scale, table_rows

RESULTS = Path(__file__).resolve().parent / "results.json"
SIGNED = 1 + shipments.CLIENTS  # one shared certificate, sixteen others


def online(kind: str, sc: dict, results: dict) -> None:
    data = datasets.build(kind, f"online_{sc['name']}", signed=SIGNED)
    try:
        revocations.publish(data)
        issuing.warm(data)
        if kind == "sqlite":
            results["issuing"] = issuing.run(data)
        measured = load.run_on(data, sc, {
            "cached_qr": issuing.cached_qr_request(data),
            "not_modified": revocations.not_modified_request(data)})
        results["load"][kind] = measured
        results["cached_qr"][kind] = issuing.cached(measured)
        results["not_modified"][kind] = revocations.not_modified(measured)
        if kind == "postgresql":
            results["shipments"] = shipments.run(data, sc)
    finally:
        datasets.drop(data)


def run(sc: dict, backends: list[str], out: Path | None = RESULTS, *,
        browsers: bool = True) -> dict:
    """Every benchmark at scale sc; the two in Chromium unless browsers is False (the tests
    run those on their own, tests/bench/test_*_browser.py)."""
    started = time.perf_counter()
    results: dict = {"machine": machine(), "scale": sc, "backends": backends,
                     "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
                     "load": {}, "cached_qr": {}, "not_modified": {}}
    results["offline"] = verify_offline.run(sc)
    if browsers:
        results["browser"] = verify_browser.run(sc)
        results["lane"] = lane_browser.run(sc)
    results["names"] = name_matching.run(sc)
    for kind in backends:
        online(kind, sc, results)
    if "postgresql" in backends:
        grown = growth.run(sc)
        large = grown.pop("large_dataset")
        results["growth"] = grown
        try:
            results["revocations"] = revocations.run(large)
        finally:
            datasets.drop(large)
    results["seconds"] = round(time.perf_counter() - started, 1)
    if out is not None:
        out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return results


def table(results: dict) -> str:
    rows = [*verify_offline.rows(results["offline"])]
    if "browser" in results:
        rows += verify_browser.rows(results["browser"])
    if "lane" in results:
        rows += lane_browser.rows(results["lane"])
    for kind, measured in results["load"].items():
        rows += load.rows(measured, kind)
    if "growth" in results:
        rows += growth.rows(results["growth"])
    if "revocations" in results:
        rows += revocations.rows(results["revocations"], results["not_modified"])
    if "shipments" in results:
        rows += shipments.rows(results["shipments"], "postgresql")
    if "issuing" in results:
        rows += issuing.rows(results["issuing"], results["cached_qr"])
    if "names" in results:
        rows += name_matching.rows(results["names"])
    m = results["machine"]
    head = (f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
            f"cryptography {m['packages']['cryptography']}, {m['packages']['openssl']}; "
            f"scale {results['scale']['name']}, {results['seconds']:.0f} s in all.\n\n")
    lines = ["| measure | result | goal |", "| --- | --- | --- |", table_rows(rows)]
    return head + "\n".join(lines)


def main() -> None:
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    results = run(scale(), [b for b in backends if b])
    print(table(results))
    print(f"\nwritten to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
