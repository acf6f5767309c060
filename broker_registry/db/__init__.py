"""The database: what every module calls (`db.session()`, `db.reader()`) and what lies under it.

    engine.py        engines: SQLite and PostgreSQL made to behave alike
    sessions.py      one session per request, and reader connections
    columns.py       column types shared by every model (UTC timestamps, JSON)
    driver_sql.py    hot SELECTs run straight on the driver's cursor
    counters.py      gap-free sequence numbers
    migrate.py       Alembic, run from the application (migrations/ holds the steps)
    backup.py        `broker-registry backup` and `restore`
    private_files.py the data folder and its files, for their owner only
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from .engine import write_intent
from .sessions import Database


def read_only(view):
    """Mark a POST view that only reads (verification), so that on SQLite its transaction
    does not queue for the write lock that every other worker's request then waits on."""
    view.read_only = True
    return view


def get_db() -> Database:
    from flask import current_app

    return current_app.extensions["db"]


def session() -> Session:
    return get_db().session()


def reader() -> sa.Connection:
    return get_db().reader()


@contextmanager
def intent(*, write: bool) -> Iterator[None]:
    """Transactions begun in the block begin for writing (SQLite: BEGIN IMMEDIATE, queued for
    the write lock) or for reading only (BEGIN: a snapshot that holds no writer back)."""
    token = write_intent.set(write)
    try:
        yield
    finally:
        write_intent.reset(token)


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """Whether this process, among all that use the database, holds `name` for the block.

    PostgreSQL: a session advisory lock, tried (never waited for) on a connection of its own,
    so the holder's transactions may commit and begin again under it; the server frees it
    when the holder's connection drops, a killed process included. SQLite: always held. The
    database is one machine's file, and its write lock orders every write: callers look
    again under it (BEGIN IMMEDIATE) before they write what the block prepared.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        held = connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"),
                                  {"key": key}).scalar()
        try:
            yield bool(held)
        finally:
            if held:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def lock_rows(statement):
    """SELECT ... FOR UPDATE where the database has it; SQLite already holds the write lock."""
    return statement.with_for_update()
