"""`backup` and `restore` with bad paths and files that are not our backups: one line, and the
database and the target stay as they were."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from tests.cli.helpers import refused


def _accounts(app) -> int:
    with app.extensions["db"].engine.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one()


def _with_an_account(app) -> int:
    result = app.test_cli_runner().invoke(args=["users", "create", "kept@example.org",
                                                "--role", "admin", "--password",
                                                "a long enough password"])
    assert result.exit_code == 0, result.output
    return _accounts(app)


def test_backup_to_a_missing_folder_is_one_line(isolated_app, tmp_path):
    target = tmp_path / "no" / "registry.backup"
    result = isolated_app.test_cli_runner().invoke(args=["backup", str(target)])
    refused(result, 1, "there is no folder", str(target.parent))
    assert not target.parent.exists()


def test_restore_refuses_files_that_are_not_our_backups(isolated_app, tmp_path):
    before = _with_an_account(isolated_app)
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE accounts (id INTEGER)")
    runner = isolated_app.test_cli_runner()
    for source in (text, foreign):
        result = runner.invoke(args=["restore", "--force", str(source)])
        refused(result, 1, f"{source} is not a")
        assert _accounts(isolated_app) == before


def test_restore_refuses_a_sqlite_file_of_another_schema_version(isolated_app, tmp_path):
    if isolated_app.extensions["db"].dialect != "sqlite":
        return  # a PostgreSQL registry restores pg_dump archives only; see the test above
    before = _with_an_account(isolated_app)
    made = isolated_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    with sqlite3.connect(tmp_path / "b") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00000000000'")
    result = isolated_app.test_cli_runner().invoke(args=["restore", "--force",
                                                         str(tmp_path / "b")])
    refused(result, 1, "f00000000000", "not one of its migrations")
    assert _accounts(isolated_app) == before


def test_a_database_file_that_is_no_database_is_one_line(isolated_app, tmp_path):
    if isolated_app.extensions["db"].dialect != "sqlite":
        return
    target = tmp_path / "registry.backup"
    target.write_bytes(b"the previous backup")
    engine = isolated_app.extensions["db"].engine
    engine.dispose()  # the database is this test's own: it may be spoilt
    with open(engine.url.database, "r+b") as handle:
        handle.write(b"not a SQLite header at all")
    result = isolated_app.test_cli_runner().invoke(args=["backup", str(target)])
    refused(result, 1, "cannot use the database", "not a database")
    assert target.read_bytes() == b"the previous backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_init_backup_and_restore_say_one_line_each_and_nothing_else(tmp_path):
    """In a process of its own, as an operator runs them: no logging from the libraries."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "BROKER_REGISTRY_DATA": str(tmp_path / "data"),
           "SECRET_KEY": "s" * 40, "BROKER_REGISTRY_KEY_PASSPHRASE": "p" * 40,
           "BROKER_REGISTRY_ENV": "development"}
    env.pop("DATABASE_URL", None)
    backup = str(tmp_path / "registry.backup")

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "broker_registry",
                               *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        return done.stdout.splitlines()

    assert run("init")[0].startswith("database ready: sqlite:///")
    assert run("backup", backup) == [f"backup written to {backup}"]
    assert run("restore", backup, "--force") == [f"database restored from {backup}"]
