"""A pooled PostgreSQL connection that the server dropped while it sat idle is replaced
before use, without a ping on every checkout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from broker_registry.db import engine as database


def _backend(connection) -> int:
    return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def _pooled_then_dropped(pg_engine, engine) -> int:
    """The backend of the pool's one connection, which the server then ends."""
    with pg_engine.connect() as connection:
        pid = _backend(connection)
    with engine.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
    return pid


@pytest.fixture
def pg_engine(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("pings only matter where the database is a server")
    pooled = database.make_engine(engine.url.render_as_string(hide_password=False),
                                  pool_size=1, max_overflow=0)
    yield pooled
    pooled.dispose()


def test_an_idle_connection_killed_by_the_server_is_replaced(pg_engine, engine, monkeypatch):
    first = _pooled_then_dropped(pg_engine, engine)
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # as if it sat idle for long
    with pg_engine.connect() as connection:
        assert _backend(connection) != first
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


def test_a_connection_used_moments_ago_is_not_pinged_and_heals_after_one_error(pg_engine,
                                                                             engine):
    # The price of not pinging every checkout: a connection dropped within the idle window
    # fails its next statement once; the pool then throws every such connection away.
    first = _pooled_then_dropped(pg_engine, engine)
    with pytest.raises(sa.exc.DBAPIError) as failed, pg_engine.connect() as connection:
        _backend(connection)
    assert failed.value.connection_invalidated
    with pg_engine.connect() as connection:
        assert _backend(connection) != first


def test_a_dropped_connection_under_a_driver_query_is_thrown_out_like_any_other(pg_engine,
                                                                             engine):
    # Bearer tokens are resolved on the driver's own cursor (driver_sql): its failure must
    # still reach SQLAlchemy, or the dead connection would go back to the pool and fail the
    # next request, and the one after.
    from broker_registry.accounts.service import resolve_token

    first = _pooled_then_dropped(pg_engine, engine)
    with pytest.raises(sa.exc.DBAPIError) as failed, pg_engine.connect() as connection:
        resolve_token(connection, "brt_no-such-token")
    assert failed.value.connection_invalidated
    with pg_engine.connect() as connection:
        assert resolve_token(connection, "brt_no-such-token") is None
        assert _backend(connection) != first
