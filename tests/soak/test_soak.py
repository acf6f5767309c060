"""Load: 50 clients for 60 seconds against gunicorn on PostgreSQL, mixing verifications,
shipments, revocations and page views. Loopback only, bounded in time. `make soak` runs it;
`make test` does not (the `soak` marker is deselected by default).

Passes when there was no 5xx and no failed connection, no certificate shipped more than it
holds (and each certificate's count equals the sum of its shipments), and the audit chain
verifies afterwards. Prints requests, counts per kind, p50/p99 latency and errors.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict

import pytest
import requests
import sqlalchemy as sa

from broker_registry.audit import service as audit
from broker_registry.db.engine import make_engine
from tests.reliability.gunicorn import Gunicorn
from tests.reliability.world import initialised

CLIENTS = int(os.environ.get("SOAK_CLIENTS", "50"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
CERTIFICATES, REVOCABLE, QUANTITY = 30, 8, 400
MIX = {"verify": 45, "shipment": 30, "page": 20, "revocation": 5}
PAGES = ("/", "/register", "/login", "/api/v1/public/brokers", "/api/v1/trust-list",
         "/api/v1/revocations", "/api/v1/categories")

pytestmark = pytest.mark.soak


class Load:
    def __init__(self, url, world):
        self.url, self.world = url, world
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.errors: list[str] = []
        self.revocable = world.numbers[:REVOCABLE]
        self.shippable = world.numbers[REVOCABLE:]

    def request(self, session, rng):
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        officer = self.world.headers(rng.choice(("officer", "officer2")))
        if kind == "verify":
            number = rng.choice(self.world.numbers)
            args = ("POST", "/api/v1/verify", {"payload": self.world.payloads[number]}, officer)
        elif kind == "shipment":
            number = rng.choice(self.shippable)
            args = ("POST", f"/api/v1/certificates/{number}/shipments",
                    {"border_post": "soak", "lines": [{"line": 1,
                                                       "quantity": rng.randint(1, 5)}]},
                    {**officer, "Idempotency-Key": uuid.uuid4().hex})
        elif kind == "revocation":
            number = rng.choice(self.revocable)
            args = ("POST", f"/api/v1/certificates/{number}/revoke", {"reason": "soak"},
                    self.world.headers(rng.choice(("r1", "r2"))))
        else:
            args = ("GET", rng.choice(PAGES), None, {})
        method, path, body, headers = args
        started = time.perf_counter()
        try:
            response = session.request(method, self.url + path, json=body, headers=headers,
                                       timeout=30)
            status = response.status_code
        except requests.RequestException as error:
            status = f"error {type(error).__name__}"
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latency[kind].append(elapsed)
            self.statuses[(kind, status)] += 1
            if not isinstance(status, int) or status >= 500:
                self.errors.append(f"{method} {path}: {status}")

    def client(self, seed, deadline):
        rng = random.Random(seed)
        with requests.Session() as session:
            while time.monotonic() < deadline:
                self.request(session, rng)

    def report(self, seconds) -> str:
        everything = sorted(x for values in self.latency.values() for x in values)
        total = len(everything)

        def pct(values, p):
            return 1000 * values[min(len(values) - 1, int(p * len(values)))]

        lines = [f"soak: {CLIENTS} clients, {seconds:.0f} s, {total} requests "
                 f"({total / seconds:.0f}/s), p50 {pct(everything, .5):.1f} ms, "
                 f"p99 {pct(everything, .99):.1f} ms, errors {len(self.errors)}"]
        for kind, values in sorted(self.latency.items()):
            values.sort()
            codes = {status: n for (k, status), n in sorted(self.statuses.items(),
                                                            key=str) if k == kind}
            lines.append(f"  {kind:<10} {len(values):>6}  p50 {pct(values, .5):7.1f} ms  "
                         f"p99 {pct(values, .99):7.1f} ms  mean "
                         f"{1000 * statistics.fmean(values):6.1f} ms  {codes}")
        return "\n".join(lines)


@pytest.fixture
def soak_server(engine, isolated_url, tmp_path):
    if engine.dialect.name != "postgresql":
        pytest.skip("the soak runs on PostgreSQL (set TEST_DATABASE_URL)")
    env, app, world = initialised(tmp_path / "data", isolated_url,
                                  certificates=CERTIFICATES, quantity=QUANTITY)
    workers = max(2, (os.cpu_count() or 2))
    with Gunicorn(env, tmp_path / "gunicorn.log", workers=workers, threads=8) as server:
        yield server, world, app


def test_soak(soak_server, isolated_url, capsys):
    server, world, app = soak_server
    load = Load(server.url, world)
    started = time.monotonic()
    deadline = started + SECONDS
    threads = [threading.Thread(target=load.client, args=(n, deadline)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    report = load.report(time.monotonic() - started)

    engine = make_engine(isolated_url)
    with engine.connect() as connection:
        shipments = connection.execute(sa.text(
            "SELECT c.number, s.lines FROM shipments s "
            "JOIN certificates c ON c.id = s.certificate_id")).all()
        lines = connection.execute(sa.text(
            "SELECT c.number, l.quantity, l.shipped FROM certificate_lines l "
            "JOIN certificates c ON c.id = l.certificate_id")).all()
    engine.dispose()
    drawn: Counter = Counter()
    for number, shipped_lines in shipments:
        items = json.loads(shipped_lines) if isinstance(shipped_lines, str) else shipped_lines
        drawn[number] += sum(item["quantity"] for item in items)
    overdrawn = [n for n, quantity, shipped in lines if shipped > quantity or shipped != drawn[n]]
    with app.app_context():
        from broker_registry import db

        chain = audit.verify(db.session())
    app.extensions["db"].dispose()
    report += (f"\n  shipments recorded {len(shipments)}, over-drawn certificates "
               f"{len(overdrawn)}, audit chain {'intact' if not chain else chain[:3]}")
    with capsys.disabled():
        print("\n" + report)
    assert load.errors == [], load.errors[:20]
    assert overdrawn == []
    assert chain == []
    assert sum(len(v) for v in load.latency.values()) > CLIENTS * 10
