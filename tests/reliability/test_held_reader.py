"""Reader connections are kept on a shelf from one request to the next (Database.reader), and
a shelved connection the server dropped costs at most one request."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from broker_registry.accounts import service as accounts
from broker_registry.db import engine as engines
from broker_registry.db import sessions as database
from broker_registry.db.engine import READER
from broker_registry.permissions import Role
from tests.conftest import PASSWORD


@pytest.fixture
def served(isolated_app):
    """A test client of the isolated app, a customs officer's bearer header, the Database."""
    db = isolated_app.extensions["db"]
    with isolated_app.app_context():
        session = db.session()
        officer = accounts.create_account(session, email="officer@example.org",
                                          password=PASSWORD, display_name="Officer",
                                          role=Role.CUSTOMS)
        token, _ = accounts.issue_token(session, officer)
        session.commit()
    return isolated_app.test_client(), {"Authorization": f"Bearer {token}"}, db


def _read(client, bearer):
    """A request that reads only on its reader (the token, then a payload not worth a query)."""
    answer = client.post("/api/v1/verify", json={"payload": "EUC1:NOT-A-CODE"}, headers=bearer)
    assert answer.status_code != 200 or answer.get_json()["result"] == "MALFORMED"
    return answer


def _tokens(client, bearer):
    """A request that reads its principal on a reader, then its account in a session."""
    return client.get("/api/v1/auth/tokens", headers=bearer)


def _shelved(db) -> list[sa.Connection]:
    return [connection for connection, _ in db.readers._idle]


def _backend_of(db, connection) -> object:
    if db.dialect == "postgresql":
        return connection.connection.driver_connection.info.backend_pid
    return id(connection.connection.driver_connection)


def _drop(db, connection) -> None:
    """The server ends the connection, as a restart or an idle timeout would."""
    with db.engine.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                      {"pid": _backend_of(db, connection)})
        admin.commit()


def _autocommit(db, connection) -> bool:
    if db.dialect == "postgresql":
        return connection.connection.driver_connection.autocommit
    return connection.get_execution_options().get(READER) is True


def test_requests_take_the_same_reader_off_the_shelf(served):
    client, bearer, db = served
    assert _read(client, bearer).status_code == 200
    (held,) = _shelved(db)
    first = _backend_of(db, held)
    for _ in range(3):
        assert _read(client, bearer).status_code == 200
    assert _shelved(db) == [held] and not held.closed
    assert not held.in_transaction()  # given back with SQLAlchemy's record of one ended
    assert _backend_of(db, held) == first and _autocommit(db, held)


def test_the_shelf_keeps_only_a_few_readers(served):
    client, bearer, db = served
    # Requests that overlap in time each take a reader of their own.
    taken = [db.readers.take() for _ in range(db.readers.KEEP + 3)]
    for connection in taken:
        db.readers.give_back(connection)
    assert len(_shelved(db)) == db.readers.KEEP
    assert sum(connection.closed for connection in taken) == 3
    db.dispose()
    assert _shelved(db) == [] and all(connection.closed for connection in taken)


def test_a_reader_given_back_twice_is_shelved_once(served):
    client, bearer, db = served
    reader = db.readers.take()
    db.readers.give_back(reader)
    db.readers.give_back(reader)
    assert _shelved(db) == [reader]
    assert db.readers.take() is reader and db.readers.take() is not reader


def test_a_request_that_opens_a_session_closes_its_reader(served):
    client, bearer, db = served
    assert _read(client, bearer).status_code == 200
    (reader,) = _shelved(db)
    assert _tokens(client, bearer).status_code == 200  # a reader, then a session
    assert reader.closed  # back to the pool, so a kept reference cannot read on
    assert _shelved(db) == []  # a connection that another request has taken


def test_the_next_thread_takes_the_reader_the_last_one_gave_back(served):
    client, bearer, db = served
    answers = []
    for _ in range(3):  # a threaded server: every request on a thread of its own
        worker = threading.Thread(target=lambda: answers.append(_read(client, bearer)))
        worker.start()
        worker.join()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len(_shelved(db)) == 1


def test_an_idle_reader_that_still_answers_is_kept(served, monkeypatch):
    client, bearer, db = served
    assert _read(client, bearer).status_code == 200
    (held,) = _shelved(db)
    pinged = []
    monkeypatch.setattr(database, "_answers", lambda c: pinged.append(c) or True)
    assert _read(client, bearer).status_code == 200
    assert pinged == []  # used moments ago: no ping
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)
    monkeypatch.setattr(engines, "IDLE_PING_SECONDS", 0.0)  # as if it sat idle for long
    assert _read(client, bearer).status_code == 200
    assert pinged == [held] and _shelved(db) == [held]


@pytest.fixture
def dropped(served):
    """The backend of the shelved reader, which the server has just ended."""
    client, bearer, db = served
    if db.dialect != "postgresql":
        pytest.skip("only a database server drops connections")
    assert _read(client, bearer).status_code == 200
    (held,) = _shelved(db)
    pid = _backend_of(db, held)
    _drop(db, held)
    return pid


def test_an_idle_reader_the_server_dropped_is_replaced_before_use(served, dropped,
                                                                  monkeypatch):
    client, bearer, db = served
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)
    monkeypatch.setattr(engines, "IDLE_PING_SECONDS", 0.0)
    assert _read(client, bearer).status_code == 200  # pinged, replaced: nobody saw it
    (fresh,) = _shelved(db)
    assert _backend_of(db, fresh) != dropped and _autocommit(db, fresh)


def test_a_reader_dropped_while_in_use_fails_one_request_then_heals(served, dropped):
    client, bearer, db = served
    with pytest.raises(sa.exc.DBAPIError) as failed:  # a 500 outside tests
        _read(client, bearer)
    assert failed.value.connection_invalidated
    assert _shelved(db) == []  # back to the pool to be replaced, not onto the shelf
    assert _read(client, bearer).status_code == 200
    (fresh,) = _shelved(db)
    assert _backend_of(db, fresh) != dropped
    assert _autocommit(db, fresh)  # a replacement reads outside transactions too


def test_one_dropped_reader_empties_the_shelf_of_the_others(served):
    # A server restart drops every connection at once; the first request to meet it fails,
    # and the readers waiting on the shelf are thrown away with it, as the pool does.
    client, bearer, db = served
    if db.dialect != "postgresql":
        pytest.skip("only a database server drops connections")
    readers = [db.readers.take() for _ in range(3)]
    for reader in readers:
        db.readers.give_back(reader)
    dropped = {_backend_of(db, reader) for reader in readers}
    for reader in readers:
        _drop(db, reader)
    with pytest.raises(sa.exc.DBAPIError):
        _read(client, bearer)
    assert _shelved(db) == []
    assert _read(client, bearer).status_code == 200
    (fresh,) = _shelved(db)
    assert _backend_of(db, fresh) not in dropped
