"""Gunicorn is killed (SIGKILL, master and workers) in the middle of a burst of shipments, then
restarted; every request that got no answer is retried with its Idempotency-Key. Afterwards
every shipment answered 201 is in the database, none is counted twice, and no certificate has
shipped more than it holds."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from broker_registry.db.engine import make_engine
from tests.reliability.gunicorn import Gunicorn
from tests.reliability.world import initialised

pytestmark = pytest.mark.server  # starts servers of its own

CLIENTS, CERTIFICATES, QUANTITY = 6, 3, 60


@pytest.fixture
def served(engine, isolated_url, tmp_path, settings):
    if engine.dialect.name != "postgresql":
        pytest.skip("several gunicorn workers are run on PostgreSQL")
    env, _, world = initialised(tmp_path / "data", isolated_url,
                                certificates=CERTIFICATES, quantity=QUANTITY)
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    yield server, world
    server.stop()


class Burst:
    def __init__(self, server, world):
        self.server, self.world = server, world
        self.lock = threading.Lock()
        self.answered: dict[str, tuple[int, dict]] = {}
        self.unanswered: dict[str, tuple[str, dict]] = {}
        self.stop = threading.Event()

    def send(self, key, number, body, timeout=5.0):
        response = requests.post(
            f"{self.server.url}/api/v1/certificates/{number}/shipments", json=body,
            timeout=timeout, headers={**self.world.headers("officer"), "Idempotency-Key": key})
        return response.status_code, response.json()

    def client(self, seed: int):
        rng = random.Random(seed)
        while not self.stop.is_set():
            key = uuid.uuid4().hex
            number = rng.choice(self.world.numbers)
            body = {"border_post": f"post {seed}",
                    "lines": [{"line": 1, "quantity": rng.randint(1, 4)}]}
            try:
                status, answer = self.send(key, number, body)
            except requests.RequestException:
                with self.lock:
                    self.unanswered[key] = (number, body)
                time.sleep(0.05)
                continue
            with self.lock:
                self.answered[key] = (status, answer)


def test_a_killed_server_loses_nothing_and_counts_nothing_twice(served, isolated_url):
    server, world = served
    server.start()
    burst = Burst(server, world)
    threads = [threading.Thread(target=burst.client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    server.kill()  # mid-flight: requests are open on both workers
    time.sleep(0.5)
    burst.stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert burst.unanswered, "the kill interrupted nothing"
    server.start()
    for key, (number, body) in list(burst.unanswered.items()):
        for _attempt in range(5):
            try:
                burst.answered[key] = burst.send(key, number, body, timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.5)
    server.stop()

    statuses = {status for status, _ in burst.answered.values()}
    assert statuses <= {201, 409}, statuses
    assert len(burst.answered) >= len(burst.unanswered)
    created = {key: answer["shipment_id"] for key, (status, answer) in burst.answered.items()
               if status == 201}
    assert len(created) > 10
    engine = make_engine(isolated_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT s.id, s.idempotency_key, c.number, s.lines FROM shipments s "
            "JOIN certificates c ON c.id = s.certificate_id")).all()
        shipped = dict(connection.execute(sa.text(
            "SELECT c.number, l.shipped FROM certificate_lines l "
            "JOIN certificates c ON c.id = l.certificate_id WHERE l.line_no = 1")).all())
    engine.dispose()
    by_key = {}
    for shipment_id, key, _number, _lines in rows:
        assert key not in by_key, f"key {key} counted twice"
        by_key[key] = shipment_id
    for key, shipment_id in created.items():
        assert by_key.get(key) == shipment_id, f"answered 201 but lost: {key}"
    for number in world.numbers:
        lines = [json.loads(lines) if isinstance(lines, str) else lines
                 for _, _, n, lines in rows if n == number]
        total = sum(item["quantity"] for shipment in lines for item in shipment)
        assert total == shipped[number] <= QUANTITY, number
