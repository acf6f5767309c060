"""The revocation list at scale: publishing a full list, the size of deltas, that no
`?since` request builds a full list, and the cost of an unchanged list (304) against /healthz.

Run alone: `python -m bench.revocations` (BENCH_SCALE's list_entries on PostgreSQL)."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from broker_registry import db
from broker_registry.db.engine import normalise_url
from broker_registry.keys.authority import authority, key_store
from broker_registry.revocations import service
from broker_registry.revocations.models import (
    ListedCertificate,
    RevocationEntry,
    RevocationSnapshot,
)
from broker_registry.revocations.publishing import publish_if_due
from certs import pki
from certs.revocation_list import Entry, EntryStatus, encode_entry, parse_revocation_list
from certs.trust_list import parse_trust_list

from .common import ratio
from .dataset import add_revocation_entries
from .load import Request

DELTA_GOAL_BYTES = 8 * 1024
NOT_MODIFIED_GOAL = 1.2


PUBLISH_GOAL_S = 5.0


def publish(dataset) -> dict:
    """What the worker does when the list is due, timed: read, sign and store a full list."""
    with dataset.app.app_context():
        session = db.session()
        start = time.perf_counter()
        published = publish_if_due(session, store=key_store(), authority=authority().code,
                                   force=True)
        seconds = time.perf_counter() - start
        return {"entries": published.entries, "sequence": published.sequence,
                "build_and_sign_s": round(seconds, 2), "full_bytes": published.size}


def later_changes(dataset, n: int) -> None:
    """n changes after the published full list (a delta starts at its sequence)."""
    engine = sa.create_engine(normalise_url(dataset.url))
    with engine.begin() as connection:
        add_revocation_entries(connection, n)
    engine.dispose()


def deltas(dataset, changes=(1, 10, 100, 1000)) -> dict:
    """After the published list and changes(-1) more: the delta of the last n changes."""
    later_changes(dataset, max(changes))
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


def _stored(dataset) -> tuple:
    """Every publication as stored (sequence, edition, when): a build would change it."""
    with dataset.app.app_context():
        return tuple(db.session().execute(sa.select(
            RevocationSnapshot.sequence, RevocationSnapshot.edition,
            RevocationSnapshot.issued_at).order_by(RevocationSnapshot.sequence)).all())


def since_requests(dataset) -> dict:
    """?since=0, 1, an old sequence (below the full list's) and the current one: how long
    each takes, what it answers, and whether any built or signed a full list."""
    client = dataset.app.test_client()
    full = client.get("/api/v1/revocations")
    with dataset.app.app_context():
        session = db.session()
        upto, published = service.sequence(session), service.newest_published(session).sequence
    before, out = _stored(dataset), {}
    for name, since in (("0", 0), ("1", 1), ("old", max(2, published // 2)),
                        ("current", upto)):
        start = time.perf_counter()
        answer = client.get(f"/api/v1/revocations?since={since}")
        seconds = time.perf_counter() - start
        assert answer.status_code == 200, answer.data[:300]
        out[name] = {"since": since, "ms": round(seconds * 1000, 1), "bytes": len(answer.data),
                     "stored_full_list": answer.data == full.data
                     and answer.headers["ETag"] == full.headers["ETag"]}
    return {"requests": out, "built_a_full_list": _stored(dataset) != before}


def verified(dataset, built: dict, sample: int = 100) -> bool:
    """The stored list verifies with certs/ and holds every entry, and the entries the bench
    made in SQL are byte for byte what encode_entry writes (not timed)."""
    client = dataset.app.test_client()
    root = pki.load_certificate(key_store_of(dataset).root_cert_path.read_bytes())
    trust = parse_trust_list(client.get("/api/v1/trust-list").data, root_cert=root)
    with dataset.app.app_context():
        session = db.session()
        body = service.latest_full(session).body
        rows = session.execute(sa.select(ListedCertificate.entry, RevocationEntry.cti_hash,
                                         RevocationEntry.status, RevocationEntry.reason,
                                         RevocationEntry.at, RevocationEntry.seq)
                               .join(RevocationEntry,
                                     RevocationEntry.seq == ListedCertificate.seq)
                               .limit(sample)).all()
    parsed = parse_revocation_list(body, trust=trust)
    same = all(entry == encode_entry(Entry(h, EntryStatus(s), r, int(at.timestamp()), seq))
               for entry, h, s, r, at, seq in rows)
    return len(parsed.entries) == built["entries"] and same


def key_store_of(dataset):
    with dataset.app.app_context():
        return key_store()


def run(dataset) -> dict:
    """On a dataset that holds its revocation entries (the growth benchmark's large one)."""
    built = publish(dataset)
    built["verified"] = verified(dataset, built)
    before = _stored(dataset)
    sizes = deltas(dataset)
    full = dataset.app.test_client()
    start = time.perf_counter()
    answer = full.get("/api/v1/revocations")
    served_s = time.perf_counter() - start
    assert answer.status_code == 200 and len(answer.data) == built["full_bytes"]
    rebuilt = _stored(dataset) != before
    since = since_requests(dataset)
    per_change = {n: round(size / n, 1) for n, size in sizes.items()}
    return {**built, "full_served_s": round(served_s, 3), "delta_bytes": sizes,
            "delta_bytes_per_change": per_change, "rebuilt_by_a_request": rebuilt,
            "since": since, "delta_goal_bytes": DELTA_GOAL_BYTES,
            "publish_goal_s": PUBLISH_GOAL_S,
            "met": sizes.get(100, 0) < DELTA_GOAL_BYTES and not rebuilt
            and not since["built_a_full_list"] and built["build_and_sign_s"] <= PUBLISH_GOAL_S
            and built["verified"]}


def not_modified_request(dataset) -> Request:
    client = dataset.app.test_client()
    etag = client.get("/api/v1/revocations").headers["ETag"]
    return Request("/api/v1/revocations", headers={"If-None-Match": etag})


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
    out = [(f"revocation list: publish {result['entries']:,} entries (read, sign, store)",
            f"{result['build_and_sign_s']:.1f} s, {result['full_bytes'] / 1e6:.1f} MB",
            f"≤ {result.get('publish_goal_s', PUBLISH_GOAL_S):.0f} s"),
           ("revocation delta of 100 changes",
            f"{size.get(100, 0):,} B ({per_change.get(1000, 0):.0f} B/change at 1,000)",
            f"< {DELTA_GOAL_BYTES:,} B"),
           ("a request rebuilt the full list", "yes" if result["rebuilt_by_a_request"] else "no",
            "no")]
    since = result.get("since")
    if since:
        answers = ", ".join(
            f"{name} {r['ms']:.0f} ms" + (" (stored list)" if r["stored_full_list"] else "")
            for name, r in since["requests"].items())
        out.append((f"?since= 0, 1, old, current: built a full list: "
                    f"{'yes' if since['built_a_full_list'] else 'no'}", answers, "no build"))
    for backend, nm in (load or {}).items():
        out.append((f"304 unchanged list / healthz rps ({backend})",
                    f"{nm['not_modified_rps']:.0f} / {nm['healthz_rps']:.0f} = {nm['ratio']:.2f}",
                    nm["goal"]))
    return out


def main() -> None:
    """This benchmark alone, on a PostgreSQL dataset of BENCH_SCALE's list_entries."""
    from . import dataset as datasets
    from .common import scale

    sc = scale()
    data = datasets.build("postgresql", f"revocations_{sc['name']}")
    try:
        datasets.bulk(data, 1_000, revocation_entries=sc["list_entries"])
        result = run(data)
    finally:
        datasets.drop(data)
    print(json.dumps(result, indent=2, default=str))
    for row in rows(result, None):
        print(" | ".join(row))


if __name__ == "__main__":
    main()
