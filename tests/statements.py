"""Counting what the database driver really sends, below SQLAlchemy (DriverQuery bypasses its
events): SQLite's trace callback, libpq's protocol trace on PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def statements_sent(connection) -> Iterator[list[str]]:
    """The list fills, by the end of the block, with one entry per statement the driver
    executed on connection (a SQLAlchemy Connection): its SQL on SQLite, its protocol
    message on PostgreSQL."""
    driver = connection.connection.driver_connection
    seen: list[str] = []
    if connection.dialect.name == "sqlite":
        driver.set_trace_callback(seen.append)
        try:
            yield seen
        finally:
            driver.set_trace_callback(None)
        return
    from psycopg import pq

    with tempfile.TemporaryFile("w+", encoding="utf-8") as trace:
        driver.pgconn.trace(trace.fileno())
        driver.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield seen
        finally:
            driver.pgconn.untrace()
            trace.seek(0)
            for line in trace:
                fields = line.split("\t")
                # F(rontend) messages that run a statement: Execute (extended), Query (simple)
                if fields[0] == "F" and len(fields) > 2 and fields[2].split()[0] in (
                        "Execute", "Query"):
                    seen.append(line.strip())
