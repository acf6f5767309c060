"""The one per-worker cache: a time to live, a generation a change bumps, a budget; and every
cache of the application made of it."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import sqlalchemy as sa

from broker_registry.certificates.rendering import HeldRenderings
from broker_registry.customs.verification import ServerTrust
from broker_registry.db.columns import utcnow
from broker_registry.db.held import Generation, Held, Versioned
from broker_registry.keys import service as signers
from broker_registry.keys.models import SignerKey
from broker_registry.revocations import service as revocations


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_versioned_value_is_built_once_per_version_and_the_version_asked_once_per_ttl():
    rows, asked, built = ["a"], [], []
    changed = Generation()

    def version(reader):
        asked.append(reader)
        return len(rows)

    def build(reader):
        built.append(list(rows))
        return tuple(rows)

    value = Versioned(version, build, ttl=3600, generation=changed)
    assert value.value("r") == ("a",) and value.value("r") == ("a",)
    assert (len(asked), built) == (1, [["a"]]) and value.fresh()
    rows.append("b")
    assert value.value("r") == ("a",)  # within its time to live, the version is not asked
    value.invalidate()
    assert value.value("r") == ("a", "b") and len(asked) == 2
    changed.bump()  # a change made in this process: asked again, same version, not rebuilt
    assert value.value("r") == ("a", "b") and len(asked) == 3 and len(built) == 2


def test_a_value_is_held_for_its_time_to_live_and_no_longer():
    clock, reads = Clock(), []
    held = Held(ttl=1.0, clock=clock)

    def read():
        reads.append(clock.now)
        return f"read at {clock.now}"

    assert held.fetch("k", read) == "read at 100.0"
    clock.now = 100.99
    assert held.fetch("k", read) == "read at 100.0" and held.get("k") == "read at 100.0"
    clock.now = 101.0
    assert held.get("k") is None and "k" not in held
    assert held.fetch("k", read) == "read at 101.0"
    assert reads == [100.0, 101.0]


def test_a_bump_of_its_generation_drops_what_was_held_at_once():
    changed, clock = Generation(), Clock()
    held = Held(ttl=3600, generation=changed, clock=clock)
    other = Held(ttl=3600, clock=clock)  # reached by no change
    held.put("k", "old", held.stamp())
    other.put("k", "kept", other.stamp())
    changed.bump()
    assert held.get("k") is None and other.get("k") == "kept"
    held.put("k", "new", held.stamp())
    assert held.get("k") == "new"


def test_a_change_during_the_read_wins_over_what_the_read_found():
    changed = Generation()
    held = Held(ttl=3600, generation=changed)
    stamp = held.stamp()  # the read begins ...
    changed.bump()  # ... a change is made while it runs ...
    held.put("k", "read before the change", stamp)
    assert held.get("k") is None  # ... and what it found is not held as fresh


def test_the_budget_drops_the_least_recently_used_first():
    held = Held(budget=10, weight=len)
    for key, value in (("a", "aaaa"), ("b", "bbbb")):
        held.put(key, value, held.stamp())
    assert held.get("a") == "aaaa"  # a is now the more recently used
    held.put("c", "cccc", held.stamp())
    assert list(held) == ["a", "c"] and held.weight == 8
    held.put("d", "d" * 11, held.stamp())  # heavier than the whole budget: not held
    held.put("e", None, held.stamp())  # a miss is never held
    assert list(held) == ["a", "c"] and held.get("d") is None
    held.put("a", "a", held.stamp())  # replacing counts the new weight only
    assert held.weight == 5
    held.clear()
    assert list(held) == [] and held.weight == 0


def test_readers_of_a_costly_value_wait_for_one_read():
    held: Held[str] = Held()
    started, release, reads = threading.Event(), threading.Event(), []

    def slow_read():
        reads.append(1)
        started.set()
        release.wait(10)
        return "rendered"

    answers = []
    first = threading.Thread(target=lambda: answers.append(held.fetch("k", slow_read,
                                                                        alone=True)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: answers.append(held.fetch("k", slow_read,
                                                                         alone=True)))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting on the read in progress, not reading itself
    release.set()
    first.join(10)
    second.join(10)
    assert answers == ["rendered", "rendered"] and reads == [1]


def test_the_trust_store_follows_a_change_in_this_worker_at_once(connection, db, keys):
    trust = ServerTrust(ttl=3600)
    before = trust.store(connection)
    assert trust.fresh() and trust.store(connection) is before
    signers.SIGNERS_CHANGED.bump()  # what rotate and revoke do, in the process that makes them
    assert not trust.fresh()
    assert trust.store(connection) is before  # the signer table is unchanged: same store


def test_another_worker_sees_a_signer_change_when_its_time_to_live_runs_out(connection, db,
                                                                            keys):
    trust = ServerTrust(ttl=3600)
    before = trust.store(connection)
    # Another process revokes the key: this one's generation does not move, the table does.
    connection.execute(sa.update(SignerKey).values(status="revoked", updated_at=utcnow()))
    assert trust.store(connection) is before  # held within the time to live
    trust.ttl = 0  # the time to live runs out
    after = trust.store(connection)
    assert after is not before
    assert {s.status for s in after.signers} == {"revoked"}


def test_a_rotation_here_bumps_the_signers_generation(app, db, keys):
    from broker_registry.keys.authority import authority, key_store

    seen = signers.SIGNERS_CHANGED.value
    with app.app_context():
        signers.rotate(db, key_store(), authority())
    assert signers.SIGNERS_CHANGED.value > seen


def test_every_per_worker_cache_is_a_held(app, client, keys):
    assert isinstance(app.extensions["server_trust"]._version, Held)
    assert app.extensions["server_trust"]._version.generation is signers.SIGNERS_CHANGED
    assert isinstance(app.extensions["renderings"], HeldRenderings)
    assert isinstance(app.extensions["renderings"]._held, Held)
    assert client.get("/api/v1/revocations?format=json").status_code == 200
    assert app.extensions["revocation_heads"].generation is revocations.CHANGED
    assert isinstance(app.extensions["revocation_json"], Held)
    assert isinstance(signers._active_signer, Held)


APP = Path(__file__).resolve().parents[2] / "broker_registry"
# What a hand-made cache is built from; the connection pool's shelf (db/sessions.py,
# db/engine.py) times idle connections, not data.
CACHE_MAKINGS = {"monotonic", "OrderedDict", "lru_cache", "cached_property"}
ALLOWED = {"db/held.py", "db/sessions.py", "db/engine.py",
           # pure functions of their arguments, never of the database
           "screening/names.py", "screening/spelling.py", "screening/alignment.py",
           "web/static_files.py"}


def test_no_module_keeps_a_cache_of_its_own():
    found = set()
    for path in APP.rglob("*.py"):
        names = {node.attr if isinstance(node, ast.Attribute) else node.id
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Attribute | ast.Name)}
        if names & CACHE_MAKINGS:
            found.add(path.relative_to(APP).as_posix())
    assert found - ALLOWED == set()
