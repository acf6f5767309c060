"""The revocation list at scale: building and signing a full list, the size of deltas, and
the cost of an unchanged list (304) against /healthz."""

from __future__ import annotations

import time

import sqlalchemy as sa

from broker_registry import db
from broker_registry.authority import authority, key_store
from broker_registry.keys.service import active_signer
from broker_registry.revocations import service
from broker_registry.revocations.models import RevocationSnapshot

from .common import ratio
from .load import Request

DELTA_GOAL_BYTES = 8 * 1024
NOT_MODIFIED_GOAL = 1.2


def publish(dataset) -> dict:
    """What `broker-registry revocations publish` does, timed."""
    with dataset.app.app_context():
        session = db.session()
        upto = service.sequence(session)
        signer = active_signer(session, key_store())
        start = time.perf_counter()
        snapshot = service.build_snapshot(session, signer, authority=authority().code, upto=upto)
        session.commit()
        seconds = time.perf_counter() - start
        return {"entries": upto, "build_and_sign_s": round(seconds, 2),
                "full_bytes": len(snapshot.body)}


def deltas(dataset, changes=(1, 10, 100, 1000)) -> dict:
    client = dataset.app.test_client()
    with dataset.app.app_context():
        upto = service.sequence(db.session())
    sizes = {}
    for n in changes:
        if n < upto:
            answer = client.get(f"/api/v1/revocations?since={upto - n}")
            assert answer.status_code == 200, answer.data[:300]
            sizes[n] = len(answer.data)
    return sizes


def snapshots(dataset) -> int:
    with dataset.app.app_context():
        return db.session().execute(sa.select(sa.func.count()).select_from(
            RevocationSnapshot)).scalar()


def not_modified_request(dataset) -> Request:
    client = dataset.app.test_client()
    etag = client.get("/api/v1/revocations").headers["ETag"]
    return Request("/api/v1/revocations", headers={"If-None-Match": etag})


def run(dataset) -> dict:
    """On a dataset that holds its revocation entries (the growth benchmark's large one)."""
    built = publish(dataset)
    before = snapshots(dataset)
    sizes = deltas(dataset)
    full = dataset.app.test_client()
    start = time.perf_counter()
    answer = full.get("/api/v1/revocations")
    served_s = time.perf_counter() - start
    assert answer.status_code == 200 and len(answer.data) == built["full_bytes"]
    rebuilt = snapshots(dataset) != before
    per_change = {n: round(size / n, 1) for n, size in sizes.items()}
    return {**built, "full_served_s": round(served_s, 3), "delta_bytes": sizes,
            "delta_bytes_per_change": per_change, "rebuilt_by_a_request": rebuilt,
            "delta_goal_bytes": DELTA_GOAL_BYTES,
            "met": sizes.get(100, 0) < DELTA_GOAL_BYTES and not rebuilt}


def not_modified(load_result: dict) -> dict:
    """From the load run: the 304 answer against /healthz."""
    h, nm = load_result["healthz"], load_result["not_modified"]
    r = ratio(nm["rps"], h["rps"])
    return {"healthz_rps": h["rps"], "not_modified_rps": nm["rps"], "ratio": r,
            "goal": f"≥ {1 / NOT_MODIFIED_GOAL:.2f}", "met": r >= 1 / NOT_MODIFIED_GOAL}


def rows(result: dict, load: dict | None) -> list[tuple[str, str, str]]:
    # By number of changes; read back from results.json the keys are text ("100").
    size = {int(n): b for n, b in result["delta_bytes"].items()}
    per_change = {int(n): b for n, b in result["delta_bytes_per_change"].items()}
    out = [(f"revocation list: build and sign {result['entries']:,} entries",
            f"{result['build_and_sign_s']:.1f} s, {result['full_bytes'] / 1e6:.1f} MB",
            "publish only"),
           ("revocation delta of 100 changes",
            f"{size.get(100, 0):,} B ({per_change.get(1000, 0):.0f} B/change at 1,000)",
            f"< {DELTA_GOAL_BYTES:,} B"),
           ("a request rebuilt the full list", "yes" if result["rebuilt_by_a_request"] else "no",
            "no")]
    for backend, nm in (load or {}).items():
        out.append((f"304 unchanged list / healthz rps ({backend})",
                    f"{nm['not_modified_rps']:.0f} / {nm['healthz_rps']:.0f} = {nm['ratio']:.2f}",
                    nm["goal"]))
    return out
