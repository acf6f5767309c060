"""The database: engine, one session per request, and the column types every model shares."""

from __future__ import annotations

import time
from contextvars import ContextVar
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

# SQLite upgrades a deferred transaction to a write lock only when it first writes, and fails
# with "database is locked" if another writer got there first. Requests that may write open
# their transaction with BEGIN IMMEDIATE instead, so they queue for the lock up front.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)
READER = "broker_registry_reader"  # execution option of Database.reader() connections


def utcnow() -> datetime:
    return datetime.now(UTC)


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
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            if not dbapi_connection.autocommit:
                dbapi_connection.rollback()
        except Exception as exc:  # any failure means: this connection is gone
            # The pool discards the connection and checks out a fresh one.
            raise sa.exc.DisconnectionError(str(exc)) from exc


def _configure_sqlite(engine: Engine) -> None:
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
        self.reader_source = self._autocommit_connection

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
            # before the session takes one, so threads holding readers can never all wait
            # on the pool for sessions.
            reader = g.pop("db_reader", None)
            if reader is not None and reader[1]:
                reader[0].close()
            g.db_session = self.session_factory()
        return g.db_session

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

    def _autocommit_connection(self) -> tuple[sa.Connection, bool]:
        """(connection, whether teardown closes it); tests hand in their own."""
        connection = self.engine.connect()
        if self.dialect == "sqlite":
            # The driver already leaves transactions to us (isolation_level None): the
            # marker only stops on_begin from opening one.
            return connection.execution_options(**{READER: True}), True
        return connection.execution_options(isolation_level="AUTOCOMMIT"), True

    @staticmethod
    def _close_session(_exc) -> None:
        session, reader = g.pop("db_session", None), g.pop("db_reader", None)
        try:
            if session is not None:
                session.rollback()
                session.close()
        finally:
            if reader is not None and reader[1]:
                reader[0].close()


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


def lock_rows(statement):
    """SELECT ... FOR UPDATE where the database has it; SQLite already holds the write lock."""
    return statement.with_for_update()
