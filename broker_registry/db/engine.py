"""Engines: SQLite and PostgreSQL made to behave alike (transactions, write locks, pings).

A request that may write opens its SQLite transaction with BEGIN IMMEDIATE (`write_intent`);
reader connections run outside any transaction. A pooled connection idle for a while is
pinged before use, so a database restart costs nobody an error.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .private_files import private_file

# SQLite upgrades a deferred transaction to a write lock only when it first writes, and fails
# with "database is locked" if another writer got there first. Requests that may write open
# their transaction with BEGIN IMMEDIATE instead, so they queue for the lock up front.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)
READER = "broker_registry_reader"  # execution option of Database.reader() connections

def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    engine = sa.create_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


# A pooled connection that sat unused this long is pinged before use, so a database restart
# costs nobody an error. Pinging every checkout (pool_pre_ping) would add a round trip to
# every request, a third of a verification's time on PostgreSQL.
IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record):
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy):
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < IDLE_PING_SECONDS:
            return
        try:
            ping(dbapi_connection)
        except Exception as exc:  # any failure means: this connection is gone
            # The pool discards the connection and checks out a fresh one.
            raise sa.exc.DisconnectionError(str(exc)) from exc


def ping(dbapi_connection) -> None:
    """One round trip on a driver connection, leaving no transaction open; raises if the
    database does not answer."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT 1")
    finally:
        cursor.close()
    if getattr(dbapi_connection, "autocommit", True) is False:  # sqlite3 has none
        dbapi_connection.rollback()


def _configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        @event.listens_for(engine, "do_connect")
        def owner_only(_dialect, _record, _args, _params):
            # Before SQLite makes the file with the umask's 0644: it holds password hashes.
            private_file(Path(database))

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if connection.get_execution_options().get(READER):
            return  # a reader: every statement runs in SQLite's own autocommit
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
