"""Backups of the database: `broker-registry backup FILE` and `broker-registry restore FILE`.

SQLite is copied with its online backup API (a consistent copy while the app keeps serving).
PostgreSQL is dumped with pg_dump's custom format and restored with pg_restore. The key files
are not in the database: back up the data folder's keys/ separately, and keep the passphrase
apart from both.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.engine import make_url

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _read_only(path: Path) -> str:
    """A URI that opens the file read-only (and never creates it), whatever its name holds."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


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


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed")
    return done.stdout


def is_empty(engine: sa.Engine) -> bool:
    return not sa.inspect(engine).get_table_names()


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside target that replaces it only once fully written."""
    if not target.parent.is_dir():
        raise BackupError(f"cannot write {target}: there is no folder {target.parent}")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def backup(engine: sa.Engine, target: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    target = Path(target)
    if is_empty(engine):
        raise BackupError("the database has no tables yet, so nothing to back up: run "
                          "`broker-registry init` first")
    with _replacing(target) as written:
        if engine.dialect.name == "sqlite":
            _copy_sqlite(_sqlite_path(url), written)
        else:
            libpq, schemas = _libpq(url)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={written}",
                  *[f"--schema={s}" for s in schemas], libpq])


def _copy_sqlite(source: str | Path, destination: str | Path) -> None:
    """Copy one SQLite database onto another with SQLite's online backup API, which stays
    consistent while others write; source may be a read-only "file:" URI."""
    try:
        reading = closing(sqlite3.connect(source, uri=str(source).startswith("file:")))
        with reading as origin, closing(sqlite3.connect(destination)) as copy, copy:
            origin.backup(copy)  # the last `copy` commits the copy's transaction
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy the database to {destination}: {error}") from None


def check_backup(dialect: str, source: Path) -> None:
    """Refuse a file that is not a sound backup of this registry, before anything is replaced."""
    if dialect == "sqlite":
        _check_sqlite_backup(source)
        return
    tool = _tool("pg_restore")
    try:
        listing = _run([tool, "--list", str(source)])
    except BackupError as error:
        raise BackupError(f"{source} is not a pg_dump archive: {error}") from None
    if not re.search(r"\bTABLE \S+ alembic_version\b", listing):
        raise BackupError(f"{source} is a pg_dump archive, but not of this registry")


def _check_sqlite_backup(source: Path) -> None:
    with open(source, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup")
    try:
        with closing(sqlite3.connect(_read_only(source), uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            versions = [row[0] for row in connection.execute(
                "SELECT version_num FROM alembic_version")]
    except sqlite3.Error as error:
        raise BackupError(f"{source} is not a backup of this registry: {error}") from None
    if verdict != "ok":
        raise BackupError(f"{source} is damaged: {verdict}")
    if len(versions) != 1 or versions[0] not in _known_revisions():
        raise BackupError(f"{source} is not a backup of this registry (schema version "
                          f"{', '.join(versions) or 'none'} is not one of its migrations)")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from .migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def restore(engine: sa.Engine, source: Path, *, force: bool = False) -> None:
    """Replace the database with the backup; refuses a database with tables unless forced."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    check_backup(engine.dialect.name, source)
    if not force and not is_empty(engine):
        raise BackupError("the database is not empty; restore with --force to replace it")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        _copy_sqlite(_read_only(source), _sqlite_path(url))
        return
    libpq, _schemas = _libpq(url)
    _run([_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
          *(["--clean", "--if-exists"] if force else []), f"--dbname={libpq}", str(source)])
