"""The database: engine, one session per request, and the column types every model shares."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from .private_files import private_file

# SQLite upgrades a deferred transaction to a write lock only when it first writes, and fails
# with "database is locked" if another writer got there first. Requests that may write open
# their transaction with BEGIN IMMEDIATE instead, so they queue for the lock up front.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)
READER = "broker_registry_reader"  # execution option of Database.reader() connections


def utcnow() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """A moment as the API writes it: UTC, with a Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp that is stored in UTC and always comes back timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
            _ping(dbapi_connection)
        except Exception as exc:  # any failure means: this connection is gone
            # The pool discards the connection and checks out a fresh one.
            raise sa.exc.DisconnectionError(str(exc)) from exc


def _ping(dbapi_connection) -> None:
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


class Database:
    """Owns the engine and hands each request its own session."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.session_factory = sessionmaker(
            bind=self.engine, class_=Session, expire_on_commit=False
        )
        self.readers = ReaderShelf(self._autocommit_connection)
        event.listen(self.engine, "handle_error", self._after_error)
        # () -> (connection, what teardown calls to release it, or None); tests hand in theirs
        self.reader_source = self._shelved_reader

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def init_app(self, app: Flask) -> None:
        app.extensions["db"] = self
        app.teardown_appcontext(self._close_session)
        app.before_request(_mark_write_intent)

    def session(self) -> Session:
        if "db_session" not in g:
            # One pooled connection per request at a time: the reader goes back to the pool
            # before the session takes one, so requests holding readers can never all wait
            # on the pool for sessions. Closed, not shelved: a reference the request kept
            # must fail loudly, not read on a connection another request has taken.
            reader = g.pop("db_reader", None)
            if reader is not None and reader[1] is not None:
                reader[0].close()
            g.db_session = self.session_factory()
        return g.db_session

    def dispose(self) -> None:
        """Close the shelved readers and every pooled connection."""
        self.readers.close()
        self.engine.dispose()

    def reader(self) -> sa.Connection:
        """This request's connection for single-statement reads, outside any transaction.

        The hot read paths (verification, cached QR codes, bearer tokens) use it with SQL
        Core: no session, and on PostgreSQL no BEGIN and ROLLBACK round trips. Each
        statement sees the latest committed data; nothing that must read a consistent
        snapshot across statements, and nothing that writes, belongs here. Once the request
        has a session, its reads go through the session's connection instead.
        """
        if "db_session" in g:  # the request already holds a connection: read on it
            return g.db_session.connection()
        if "db_reader" not in g:
            g.db_reader = self.reader_source()
        return g.db_reader[0]

    def _after_error(self, context) -> None:
        # The server dropped a connection: the pool will replace every connection older
        # than the drop at checkout, but shelved readers are not checked out again.
        if context.is_disconnect:
            self.readers.close(discard=True)

    def _shelved_reader(self) -> tuple[sa.Connection, Callable[[], None]]:
        connection = self.readers.take()
        return connection, partial(self.readers.give_back, connection)

    def _autocommit_connection(self) -> sa.Connection:
        connection = self.engine.connect()
        if self.dialect == "sqlite":
            # The driver already leaves transactions to us (isolation_level None): the
            # marker only stops on_begin from opening one.
            return connection.execution_options(**{READER: True})
        return connection.execution_options(isolation_level="AUTOCOMMIT")

    @staticmethod
    def _close_session(_exc) -> None:
        session, reader = g.pop("db_session", None), g.pop("db_reader", None)
        try:
            if session is not None:
                session.rollback()
                session.close()
        finally:
            if reader is not None and reader[1] is not None:
                reader[1]()


class ReaderShelf:
    """Reader connections kept from one request to the next.

    Checking a connection out of the pool and back in on every request cost about 30 µs,
    7 % of an online verification on SQLite. A request takes a reader off the shelf and puts
    it back when it ends; at most KEEP wait there (they stay checked out of the pool, which
    holds 15). One that sat unused for IDLE_PING_SECONDS is pinged before use, as the pool
    would have done, and one SQLAlchemy invalidated (the server dropped it) goes back to
    the pool to be replaced, never onto the shelf.
    """

    KEEP = 4

    def __init__(self, open_reader: Callable[[], sa.Connection]):
        self._open = open_reader
        self._idle: list[tuple[sa.Connection, float]] = []
        self._lock = threading.Lock()

    def take(self) -> sa.Connection:
        now = time.monotonic()
        while True:
            with self._lock:
                connection, used_at = self._idle.pop() if self._idle else (None, 0.0)
            if connection is None:
                return self._open()
            if now - used_at < IDLE_PING_SECONDS or _answers(connection):
                return connection
            _discard(connection)

    def give_back(self, connection: sa.Connection) -> None:
        try:
            # Ends SQLAlchemy's own record of a transaction: in autocommit nothing reaches
            # the database.
            connection.rollback()
        except Exception:  # whatever broke it, it is not to be used again
            _discard(connection)
            return
        if not connection.closed and not connection.invalidated:
            with self._lock:
                if any(held is connection for held, _ in self._idle):
                    return  # given back twice: one place on the shelf, never two
                if len(self._idle) < self.KEEP:
                    self._idle.append((connection, time.monotonic()))
                    return
        connection.close()  # an invalidated one reconnects at its next checkout

    def close(self, *, discard: bool = False) -> None:
        """Empty the shelf; discard: the connections are thought dead, never reuse them."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection, _ in idle:
            if discard:
                _discard(connection)
            else:
                connection.close()


def _discard(connection: sa.Connection) -> None:
    if not connection.closed:
        connection.invalidate()
        connection.close()


def _answers(connection: sa.Connection) -> bool:
    """Whether the database still answers on this connection (one round trip)."""
    if connection.closed or connection.invalidated:
        return False
    try:
        _ping(connection.connection.driver_connection)
        return True
    except Exception:  # any failure means: this connection is gone
        return False


def read_only(view):
    """Mark a POST view that only reads (verification), so that on SQLite its transaction
    does not queue for the write lock that every other worker's request then waits on."""
    view.read_only = True
    return view


def _mark_write_intent() -> None:
    from flask import current_app, request

    view = current_app.view_functions.get(request.endpoint)
    write_intent.set(request.method not in {"GET", "HEAD", "OPTIONS"}
                     and not getattr(view, "read_only", False))


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
