"""One session per request, and reader connections for single-statement reads."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from .engine import IDLE_PING_SECONDS, READER, make_engine, ping, write_intent


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
        app.teardown_request(_end_write_intent)

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
        ping(connection.connection.driver_connection)
        return True
    except Exception:  # any failure means: this connection is gone
        return False


def _mark_write_intent() -> None:
    from flask import current_app, request

    view = current_app.view_functions.get(request.endpoint)
    g.write_intent = write_intent.set(request.method not in {"GET", "HEAD", "OPTIONS"}
                                      and not getattr(view, "read_only", False))


def _end_write_intent(_error=None) -> None:
    """A request's intent ends with it: the test client, and a thread that serves a request
    and then does other work, would otherwise begin their next transactions with it (a GET's
    deferred BEGIN then lost its write to SQLite's lock: "database is locked" at once)."""
    token = g.pop("write_intent", None)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context (a streamed response)
            write_intent.reset(token)

