"""A request's write intent (SQLite: BEGIN IMMEDIATE or a plain BEGIN) is the request's alone:
the thread that served it begins its next transactions for writing again."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from broker_registry.db.engine import make_engine, write_intent


def test_a_get_leaves_the_thread_beginning_for_writing(client, tmp_path):
    assert write_intent.get() is True
    assert client.get("/healthz").status_code == 200
    assert write_intent.get() is True, "the GET's read-only intent outlived the request"

    # What it guards: a transaction begun after the request holds the write lock from its
    # BEGIN, so a second writer waits for it instead of slipping in between read and write.
    engine = make_engine(f"sqlite:///{tmp_path / 'intent.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (n INTEGER)"))
    other = sqlite3.connect(tmp_path / "intent.sqlite3", timeout=0, isolation_level=None)
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT count(*) FROM t")).scalar()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()
    engine.dispose()
