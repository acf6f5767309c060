"""The development data folder holds the database (password and token hashes), the keys and
the generated secrets: the folder is 0700 and every file in it 0600, whatever the umask, and
an older install that left them readable by others is tightened."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.gunicorn import ROOT, app_env

BIN = Path(sys.executable).parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(env, *args):
    done = subprocess.run([str(BIN / "broker-registry"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, umask=0o022)
    assert done.returncode == 0, done.stderr
    return done


def _development(data: Path) -> dict[str, str]:
    env = app_env(data, "", RATELIMIT_ENABLED="false")
    del env["DATABASE_URL"]  # the SQLite file in the data folder, as `make run` has it
    return env


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_a_new_data_folder_is_its_owners_alone(tmp_path):
    data = tmp_path / "instance"
    env = _development(data)
    _run(env, "init")
    _run(env, "users", "create", "owner@example.org", "--role", "admin",
         "--password", "correct horse battery staple")  # a write: SQLite's -wal file exists
    assert _mode(data) == 0o700
    files = {p.name: _mode(p) for p in data.iterdir() if p.is_file()}
    assert {"broker_registry.sqlite3", "secret_key", "key_passphrase"} <= set(files)
    assert set(files.values()) == {0o600}, files
    assert _mode(data / "keys") == 0o700
    assert all(_mode(p) == 0o600 for p in (data / "keys").glob("*.key.pem"))


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_an_older_install_is_tightened(tmp_path):
    data = tmp_path / "instance"
    env = _development(data)
    _run(env, "init")
    database = data / "broker_registry.sqlite3"
    os.chmod(data, 0o755)
    os.chmod(database, 0o644)
    _run(env, "users", "list")
    assert (_mode(data), _mode(database)) == (0o700, 0o600)
