"""`make run` is one command: the server and the worker start together, Ctrl-C stops both,
and neither outlives the command even when it is killed outright."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.reliability.gunicorn import ROOT, app_env, cli, free_port

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def _started(tmp_path):
    env = app_env(tmp_path / "data", f"sqlite:///{tmp_path / 'run.sqlite3'}")
    cli(env, "init")
    port = free_port()
    supervisor = subprocess.Popen([sys.executable, "scripts/run.py", "--port", str(port)],
                                  env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
    first = supervisor.stdout.readline()
    pids = re.search(r"server pid (\d+), worker pid (\d+)", first)
    assert pids, first
    server, worker = int(pids.group(1)), int(pids.group(2))
    supervisor.output = _Output(supervisor.stdout)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/revocations",
                            timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        supervisor.kill()
        raise AssertionError("the server did not answer")
    # Ctrl-C before the worker's scheduler runs would stop it in start-up (click: "Aborted!")
    if not supervisor.output.worker_started.wait(60):
        supervisor.kill()
        raise AssertionError(f"the worker did not start: {supervisor.output.text()}")
    assert _alive(server) and _alive(worker)
    return supervisor, server, worker


class _Output:
    """What the supervisor and its children print, read as it comes (a full pipe would stall
    them), with a flag for the worker's "worker started"."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.worker_started = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)
            if "worker started" in line:
                self.worker_started.set()

    def text(self, *, ended: bool = False) -> str:
        if ended:
            self.thread.join(timeout=30)  # to the end of the pipe: every child has exited
        return "".join(self.lines)


def _gone(*pids: int, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.2)
    return False


def test_ctrl_c_stops_the_server_and_the_worker(tmp_path):
    supervisor, server, worker = _started(tmp_path)
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=30) == 0
    output = supervisor.output.text(ended=True)
    assert _gone(server, worker), "a child outlived Ctrl-C"
    assert "worker stopped" in output


def test_a_killed_supervisor_leaves_no_orphan(tmp_path):
    supervisor, server, worker = _started(tmp_path)
    supervisor.kill()
    supervisor.wait(timeout=10)
    assert _gone(server, worker), "a child outlived its supervisor"
