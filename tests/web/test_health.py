"""/healthz answers without the database; /readyz with one round trip to it, or a 503."""

from dataclasses import replace

from broker_registry import create_app
from tests.statements import statements_sent


def test_healthz_touches_no_database(connection, client):
    with statements_sent(connection) as sent:
        answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (200, {"status": "ok"})
    assert sent == []


def test_readyz_is_one_round_trip(connection, client):
    client.get("/readyz")  # the reader's first use may ping it
    with statements_sent(connection) as sent:
        answer = client.get("/readyz")
    assert (answer.status_code, answer.get_json()) == (200, {"status": "ok", "database": "ok"})
    assert len(sent) == 1, sent
    if connection.dialect.name == "sqlite":
        assert sent == ["SELECT 1"]


def test_readyz_is_503_when_the_database_does_not_answer(settings, tmp_path):
    for url in (f"sqlite:///{tmp_path}/no/such/folder/registry.sqlite3",
                "postgresql://postgres@127.0.0.1:1/nowhere"):
        app = create_app(replace(settings, database_url=url))
        try:
            answer = app.test_client().get("/readyz")
            assert answer.status_code == 503, url
            assert answer.get_json() == {"status": "unavailable", "database": "unreachable"}
            assert app.test_client().get("/healthz").status_code == 200
        finally:
            app.extensions["db"].dispose()
