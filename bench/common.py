"""What every benchmark shares: the scale, interleaved timing, percentiles, the machine."""

from __future__ import annotations

import os
import platform
import ssl
import statistics
import time
from collections.abc import Callable
from functools import cache
from importlib import metadata

SCALES = {
    # name: (revocation entries offline, growth sizes, load seconds, revocation list entries)
    # tiny: the tests' smoke run, where only the figures' presence counts (one round of
    # load per request, as short as the load generator allows)
    "tiny": {"offline_entries": 1_000, "growth": (100, 300), "load_seconds": 0.25,
             "load_rounds": 1, "list_entries": 1_000, "rounds": 3, "repeat": 20},
    "small": {"offline_entries": 100_000, "growth": (1_000, 20_000), "load_seconds": 4,
              "list_entries": 100_000, "rounds": 5, "repeat": 200},
    "full": {"offline_entries": 1_000_000, "growth": (1_000, 1_000_000), "load_seconds": 10,
             "list_entries": 1_000_000, "rounds": 9, "repeat": 2_000},
}
PACKAGES = ("cryptography", "cbor2", "flask", "sqlalchemy", "psycopg", "gunicorn", "zxing-cpp")


@cache
def tls() -> ssl.SSLContext:
    """One TLS context for every HTTP client of a run: httpx makes one a client otherwise,
    loading the CA bundle each time (tens of milliseconds; sixteen clients at once took
    seconds)."""
    return ssl.create_default_context()


def http_client(base: str, **options):
    import httpx

    return httpx.Client(base_url=base, verify=tls(), **options)


def scale(name: str | None = None) -> dict:
    return {"name": name or os.environ.get("BENCH_SCALE", "full"),
            **SCALES[name or os.environ.get("BENCH_SCALE", "full")]}


def per_call_ns(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(repeat):
        fn()
    return (time.perf_counter_ns() - start) / repeat


def interleaved(fns: dict[str, Callable[[], object]], *, rounds: int,
                repeat: int) -> dict[str, dict[str, float]]:
    """Alternate batches of every function, so a noisy neighbour hurts them all alike.

    Answers the min and the median per call, in microseconds."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            samples[name].append(per_call_ns(fn, repeat) / 1000)
    return {name: {"min_us": min(s), "median_us": statistics.median(s)}
            for name, s in samples.items()}


def latencies_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        from cryptography.hazmat.backends.openssl.backend import backend
        versions["openssl"] = backend.openssl_version_text()
    except Exception:  # noqa: BLE001 - only a label in the results
        versions["openssl"] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "packages": versions}


def table_rows(rows: list[tuple[str, str, str]]) -> str:
    """Rows as the lines of the README's Markdown table."""
    return "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)


def in_child(module: str, sc: dict, what: str) -> dict:
    """A benchmark's `measure(sc)` run in a child process (`python -m module --child`):
    Playwright's sync API cannot start in a process that already drives a browser, as a
    test session does."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-m", module, "--child", json.dumps(sc)],
                          capture_output=True, text=True, timeout=900, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"the {what} benchmark failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(measure: Callable[[dict], dict], run: Callable[[dict], dict],
         rows: Callable[[dict], list]) -> None:
    """`python -m bench.X`: one benchmark alone, its figures and its rows. With `--child
    JSON` (how a benchmark runs its Chromium part in a process of its own) only the
    measurement, as JSON."""
    import json
    import sys

    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(json.loads(sys.argv[2]))))
        return
    measured = run(scale())
    print(json.dumps(measured, indent=2))
    print(table_rows(rows(measured)))
