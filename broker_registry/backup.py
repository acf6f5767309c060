"""Backups of the database: `broker-registry backup FILE` and `broker-registry restore FILE`.

SQLite is copied with its online backup API (a consistent copy while the app keeps serving).
PostgreSQL is dumped with pg_dump's custom format and restored with pg_restore. The key files
are not in the database: back up the data folder's keys/ separately, and keep the passphrase
apart from both.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> tuple[str, list[str]]:
    """A URL pg_dump understands, and the schema it names in `options=-csearch_path=`."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1)
                     .replace("postgres://", "postgresql://", 1))
    options = parse_qs(parts.query).get("options", [""])[0]
    schemas = [o.split("=", 1)[1] for o in options.split() if o.startswith("-csearch_path=")]
    return urlunsplit(parts), schemas


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed")


def is_empty(engine: sa.Engine) -> bool:
    return not sa.inspect(engine).get_table_names()


def backup(engine: sa.Engine, target: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    target = Path(target)
    if engine.dialect.name == "sqlite":
        _copy_sqlite(_sqlite_path(url), target)
        return
    libpq, schemas = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
          *[f"--schema={s}" for s in schemas], libpq])


def _copy_sqlite(source: str | Path, destination: str | Path) -> None:
    """Copy one SQLite database onto another with SQLite's online backup API, which stays
    consistent while others write; source may be a read-only "file:" URI."""
    reading = sqlite3.connect(source, uri=str(source).startswith("file:"))
    writing = sqlite3.connect(destination)
    try:
        with writing:
            reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def restore(engine: sa.Engine, source: Path, *, force: bool = False) -> None:
    """Replace the database with the backup; refuses a database with tables unless forced."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    if not force and not is_empty(engine):
        raise BackupError("the database is not empty; restore with --force to replace it")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with open(source, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not a SQLite backup")
        _copy_sqlite(f"file:{source}?mode=ro", _sqlite_path(url))
        return
    libpq, _schemas = _libpq(url)
    _run([_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
          *(["--clean", "--if-exists"] if force else []), f"--dbname={libpq}", str(source)])
