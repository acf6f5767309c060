"""The app served by real gunicorn workers on a loopback port, for tests that need processes:
limits counted across workers, workers killed mid-request, load."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BROKER_REGISTRY_", "DATABASE_URL", "RATELIMIT_"))}
    env.update(BROKER_REGISTRY_DATA=str(data_dir), DATABASE_URL=database_url,
               BROKER_REGISTRY_ENV="development", **extra)
    return env


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "broker-registry"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Gunicorn:
    """`gunicorn -w N` in its own process group, so that it and its workers can be killed
    together by the group's id."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2, threads: int = 1):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> Gunicorn:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", str(self.workers), "--threads", str(self.threads),
                 "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
                 "broker_registry:create_app()"],
                env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self.kill()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
