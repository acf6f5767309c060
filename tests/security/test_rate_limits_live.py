"""The per-account limit holds across gunicorn workers when they count in Redis.

One worker is held busy on a half-sent request while the other answers five attempts; then the
held request is finished, so the first worker answers the sixth attempt and must already know
about the other five. With per-process counting it would say 9 left, not 4.
"""

from __future__ import annotations

import socket
import time
import uuid

import pytest
import redis
import requests

from tests.reliability.gunicorn import Gunicorn, app_env, cli

pytestmark = pytest.mark.server  # starts servers of its own

REDIS_DB = 12  # this test's own database number: flushed before use, nothing else in it
LIMIT = 10


@pytest.fixture
def server(tmp_path):
    store = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    store.flushdb()
    env = app_env(tmp_path / "data", f"sqlite:///{tmp_path / 'registry.sqlite3'}",
                  RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:6379/{REDIS_DB}")
    cli(env, "init")
    with Gunicorn(env, tmp_path / "gunicorn.log", workers=2) as running:
        yield running
    store.flushdb()


def _attempt(url, email):
    return requests.post(f"{url}/api/v1/auth/token", timeout=10,
                         json={"email": email, "password": "wrong"},
                         headers={"Connection": "close"})


def _held_request(port: int, email: str) -> tuple[socket.socket, bytes]:
    """Open a request and send all but its last bytes: a sync worker waits on it."""
    body = f'{{"email": "{email}", "password": "wrong"}}'.encode()
    head = (f"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode()
    held = socket.create_connection(("127.0.0.1", port), timeout=20)
    held.sendall(head + body[:5])
    return held, body[5:]


def _finish(held: socket.socket, rest: bytes) -> tuple[int, dict[str, str]]:
    held.sendall(rest)
    raw = b""
    while chunk := held.recv(65536):
        raw += chunk
    held.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:])
    return int(head[0].split()[1]), {k.lower(): v for k, v in headers.items()}


def test_the_limit_per_account_is_shared_by_every_worker(server):
    email = f"victim-{uuid.uuid4().hex[:8]}@example.org"
    held, rest = _held_request(server.port, email)
    time.sleep(0.5)  # one worker has accepted it and is waiting for the rest
    first = [_attempt(server.url, email) for _ in range(5)]  # all on the other worker
    assert [r.status_code for r in first] == [401] * 5
    assert [r.headers["X-RateLimit-Remaining"] for r in first] == ["9", "8", "7", "6", "5"]
    status, headers = _finish(held, rest)  # the held worker answers attempt six
    assert status == 401
    assert headers["x-ratelimit-remaining"] == "4", "the workers count separately"
    rest_of_them = [_attempt(server.url, email) for _ in range(LIMIT - 6)]
    assert all(r.status_code == 401 for r in rest_of_them)
    for _ in range(4):  # whichever worker takes it
        blocked = _attempt(server.url, email)
        assert blocked.status_code == 429
        assert blocked.headers["Content-Type"] == "application/problem+json"
        assert int(blocked.headers["Retry-After"]) > 0
