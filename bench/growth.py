"""Growth: the same requests on a small and on a large registry (PostgreSQL), in process.

The median latency of each must not grow with the tables: indexes, keyset pages, no query
that reads a table through."""

from __future__ import annotations

import json

from broker_registry import db
from broker_registry.accounts import sign_ins
from broker_registry.accounts.models import Account
from broker_registry.revocations import service as revocations
from broker_registry.web.auth import SIGN_IN

from . import dataset as datasets
from .common import latencies_ms, median, ratio

GOAL = 1.3
DELTA_CHANGES = 100


def requests(dataset) -> dict:
    """name -> a callable making one request, checked once to answer 200."""
    app = dataset.app
    with app.app_context():
        session = db.session()
        regulator = session.get(Account, dataset.people["regulator1"])
        sign_in_id = sign_ins.start(session, regulator)
        session.commit()
        upto = revocations.sequence(session)
    pages = app.test_client()
    with pages.session_transaction() as cookie:
        cookie[SIGN_IN] = sign_in_id
    api = app.test_client()
    body = json.dumps({"payload": dataset.payloads[0]})
    verify_headers = {"Authorization": f"Bearer {dataset.tokens['customs']}",
                      "Content-Type": "application/json"}
    since = max(1, upto - DELTA_CHANGES)
    calls = {
        "verify": lambda: api.post("/api/v1/verify", data=body, headers=verify_headers),
        "certificate page": lambda: pages.get(f"/certificates/{dataset.numbers[0]}"),
        "licence queue": lambda: pages.get("/regulator/licences"),
        "broker queue": lambda: pages.get("/regulator/brokers"),
        "revocation delta": lambda: api.get(f"/api/v1/revocations?since={since}"),
    }
    for name, call in calls.items():
        answer = call()
        assert answer.status_code == 200, (name, answer.status_code, answer.data[:300])
    return calls


def run(scale: dict, *, kind: str = "postgresql") -> dict:
    small_n, large_n = scale["growth"]
    sets = {}
    for label, n in (("small", small_n), ("large", large_n)):
        data = datasets.build(kind, f"growth_{label}")
        datasets.bulk(data, n, revocation_entries=n)
        sets[label] = data
    calls = {label: requests(data) for label, data in sets.items()}
    samples = {label: {name: [] for name in calls[label]} for label in sets}
    for _ in range(scale["rounds"]):  # interleave the sizes, so noise hits both alike
        for label in sets:
            for name, call in calls[label].items():
                samples[label][name] += latencies_ms(call, max(3, scale["repeat"] // 200))
    out = {"sizes": {"small": small_n, "large": large_n}, "goal": GOAL, "requests": {}}
    for name in calls["small"]:
        small, large = median(samples["small"][name]), median(samples["large"][name])
        out["requests"][name] = {"small_ms": round(small, 2), "large_ms": round(large, 2),
                                 "ratio": ratio(large, small), "met": large / small <= GOAL}
    out["met"] = all(r["met"] for r in out["requests"].values())
    out["large_dataset"] = sets["large"]  # handed on to the revocation-list benchmark
    for data in sets.values():
        data.app.extensions["db"].engine.dispose()
    datasets.drop(sets["small"])
    return out


def rows(result: dict) -> list[tuple[str, str, str]]:
    sizes = result["sizes"]
    return [(f"growth {name}: {sizes['large']:,} vs {sizes['small']:,} certificates",
             f"{r['large_ms']:.1f} / {r['small_ms']:.1f} ms = {r['ratio']:.2f}×", f"≤ {GOAL}×")
            for name, r in result["requests"].items()]
