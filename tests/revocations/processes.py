"""`broker-registry worker` as a real process, its log read line by line as it is written, and
what tests ask of the database it works on."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from broker_registry.db.engine import make_engine
from tests.reliability.gunicorn import BIN, ROOT

PUBLISHING = re.compile(r"publishing the full revocation list at sequence (\d+)")
PUBLISHED = re.compile(r"published the full revocation list at sequence (\d+) \(edition (\d+)")


class Worker:
    """One worker process in its own process group; every log line kept in `lines`."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None
        self._seen = threading.Condition()

    def start(self, timeout: float = 60) -> Worker:
        self.process = subprocess.Popen(
            [str(BIN / "broker-registry"), "worker"], env=self.env, cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            start_new_session=True)
        self._reader = threading.Thread(target=self._read, args=(self.process,), daemon=True)
        self._reader.start()
        self.wait_for(lambda line: "worker started" in line, timeout)
        return self

    def _read(self, process: subprocess.Popen) -> None:
        with open(self.log, "a") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                with self._seen:
                    self.lines.append(line)
                    self._seen.notify_all()

    def wait_for(self, match: Callable[[str], object], timeout: float, since: int = 0) -> str:
        """The first line from index `since` on that `match`es; fails after timeout."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                for line in self.lines[since:]:
                    if match(line):
                        return line
                since = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    raise AssertionError(f"no such line in the worker's log: "
                                         f"{''.join(self.lines)[-3000:]}")
                self._seen.wait(min(left, 0.5))

    def published(self) -> list[tuple[int, int]]:
        """(sequence, edition) of every publication this worker logged."""
        found = (PUBLISHED.search(line) for line in self.lines)
        return [(int(m.group(1)), int(m.group(2))) for m in found if m]

    def kill(self) -> None:
        """SIGKILL: nothing gets to clean up."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGINT, as Ctrl-C: a running job ends first. Answers the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()


def published(url: str) -> list[tuple[int, int, bool]]:
    """(sequence, edition, has a body) of every stored full list, oldest first."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT sequence, edition, body IS NOT NULL FROM revocation_snapshots "
            "ORDER BY sequence")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def sequence(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(sa.text(
            "SELECT value FROM counters WHERE name = 'revocations'")).scalar()
    engine.dispose()
    return value or 0


def add_changes(url: str, n: int) -> int:
    """n revocations recorded straight into the list's tables (as a bulk of sanctions
    would); answers the new sequence."""
    from bench.dataset import add_revocation_entries

    engine = make_engine(url)
    with engine.begin() as connection:
        add_revocation_entries(connection, n)
    engine.dispose()
    return sequence(url)


def until(condition: Callable[[], object], timeout: float, what: str, every: float = 0.2):
    """Poll condition until it holds (answering its value) or fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {what}")
